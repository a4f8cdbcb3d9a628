// Package s3backup stores RDB snapshots in S3-compatible object storage
// (AWS S3, MinIO, Versity S3 Gateway, ...) and fetches them back.
//
// It owns the object names (a backup's name carries its creation time, so
// names sort oldest first), the streaming upload (a snapshot is written
// straight into a multipart upload, never staged on disk or held whole in
// memory), listing, pruning to the newest N, and download. It knows nothing
// of the keyspace or the server: callers hand it a function that writes the
// RDB bytes, and get bytes back. It imports minio-go and nothing of Vireo.
package s3backup
