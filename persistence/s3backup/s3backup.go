package s3backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Config says where backups live.
type Config struct {
	Endpoint  string // host[:port] of the S3 API; "" means AWS (s3.amazonaws.com)
	Bucket    string
	Prefix    string // prepended to every object name, e.g. "prod/vireo/"
	AccessKey string
	SecretKey string
	Region    string // "" lets the client discover it
	UseSSL    bool
}

// Object is one stored backup.
type Object struct {
	Name    string // the object's key, Prefix included
	Size    int64
	Created time.Time // from the name (the snapshot's instant), UTC
}

// ErrNoBackup is returned when no backup exists under the prefix.
var ErrNoBackup = errors.New("s3backup: no backup found")

// partSize is the multipart upload's part size. The upload's length is not
// known in advance, and minio-go would otherwise size parts for a 5 TiB
// object and buffer each one in memory; 16 MiB parts allow backups of up
// to 160 GB (10,000 parts) while buffering 16 MiB.
const partSize = 16 << 20

// Store reads and writes backups in one bucket under one prefix.
type Store struct {
	cli *minio.Client
	cfg Config
}

// Open returns a Store for cfg. It does not contact the server.
func Open(cfg Config) (*Store, error) {
	if cfg.Bucket == "" {
		return nil, errors.New("s3backup: no bucket configured")
	}
	endpoint := cfg.Endpoint
	if endpoint == "" {
		endpoint = "s3.amazonaws.com"
	}
	if strings.Contains(endpoint, "://") {
		// Accept a URL too: its scheme decides TLS.
		u, err := url.Parse(endpoint)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("s3backup: bad endpoint %q: want host:port or a URL", cfg.Endpoint)
		}
		endpoint, cfg.UseSSL = u.Host, u.Scheme == "https"
	}
	var creds *credentials.Credentials
	if cfg.AccessKey != "" || cfg.SecretKey != "" {
		creds = credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, "")
	} else {
		// The environment (AWS_ACCESS_KEY_ID, ...) or an instance role.
		creds = credentials.NewChainCredentials([]credentials.Provider{
			&credentials.EnvAWS{}, &credentials.EnvMinio{}, &credentials.IAM{},
		})
	}
	cli, err := minio.New(endpoint, &minio.Options{Creds: creds, Secure: cfg.UseSSL, Region: cfg.Region})
	if err != nil {
		return nil, fmt.Errorf("s3backup: %w", err)
	}
	return &Store{cli: cli, cfg: cfg}, nil
}

// Client is the underlying client (tests create buckets with it).
func (s *Store) Client() *minio.Client { return s.cli }

// namePrefix and nameSuffix frame every backup's name; the middle is the
// creation time in timeFormat (fixed width, so names sort by time) and an
// id that keeps two servers sharing a prefix apart.
const (
	namePrefix = "dump-"
	nameSuffix = ".rdb"
	timeFormat = "20060102T150405.000Z"
)

// ObjectName is the name of a backup taken at t by the server with id.
func (s *Store) ObjectName(t time.Time, id string) string {
	return s.cfg.Prefix + namePrefix + t.UTC().Format(timeFormat) + "-" + id + nameSuffix
}

// parseName returns the creation time in a backup's name (without the
// store's prefix); ok is false for objects that are not backups.
func parseName(base string) (time.Time, bool) {
	if !strings.HasPrefix(base, namePrefix) || !strings.HasSuffix(base, nameSuffix) || strings.Contains(base, "/") {
		return time.Time{}, false
	}
	rest := base[len(namePrefix) : len(base)-len(nameSuffix)]
	if len(rest) < len(timeFormat)+2 || rest[len(timeFormat)] != '-' {
		return time.Time{}, false
	}
	t, err := time.Parse(timeFormat, rest[:len(timeFormat)])
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// Upload stores what write writes as the object name, streaming it as a
// multipart upload. write's error, or the upload's, is returned; either way
// no partial object is left (the multipart upload is aborted).
func (s *Store) Upload(ctx context.Context, name string, write func(io.Writer) error) (Object, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pr, pw := io.Pipe()
	werr := make(chan error, 1)
	go func() {
		err := write(pw)
		if err == nil {
			pw.Close()
		} else {
			pw.CloseWithError(err)
		}
		werr <- err
	}()
	info, err := s.cli.PutObject(ctx, s.cfg.Bucket, name, pr, -1, minio.PutObjectOptions{
		PartSize:    partSize,
		ContentType: "application/octet-stream",
	})
	// If the upload stopped first, the writer must not wait on the pipe.
	pr.CloseWithError(errUploadEnded)
	if e := <-werr; e != nil && !errors.Is(e, errUploadEnded) {
		return Object{}, fmt.Errorf("s3backup: writing the snapshot: %w", e)
	}
	if err != nil {
		return Object{}, fmt.Errorf("s3backup: uploading %s to bucket %s: %w", name, s.cfg.Bucket, err)
	}
	created, _ := parseName(strings.TrimPrefix(name, s.cfg.Prefix))
	return Object{Name: name, Size: info.Size, Created: created}, nil
}

var errUploadEnded = errors.New("s3backup: upload ended")

// List returns the backups under the prefix, oldest first. Objects whose
// names are not backup names are ignored.
func (s *Store) List(ctx context.Context) ([]Object, error) {
	var out []Object
	for o := range s.cli.ListObjects(ctx, s.cfg.Bucket, minio.ListObjectsOptions{Prefix: s.cfg.Prefix + namePrefix}) {
		if o.Err != nil {
			return nil, fmt.Errorf("s3backup: listing bucket %s: %w", s.cfg.Bucket, o.Err)
		}
		created, ok := parseName(strings.TrimPrefix(o.Key, s.cfg.Prefix))
		if !ok {
			continue
		}
		out = append(out, Object{Name: o.Key, Size: o.Size, Created: created})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Latest is the newest backup (ErrNoBackup when there is none).
func (s *Store) Latest(ctx context.Context) (Object, error) {
	all, err := s.List(ctx)
	if err != nil {
		return Object{}, err
	}
	if len(all) == 0 {
		return Object{}, fmt.Errorf("%w in bucket %s under prefix %q", ErrNoBackup, s.cfg.Bucket, s.cfg.Prefix)
	}
	return all[len(all)-1], nil
}

// Resolve turns "latest" or an object name (with or without the prefix)
// into the stored object, checking it exists.
func (s *Store) Resolve(ctx context.Context, which string) (Object, error) {
	if which == "latest" {
		return s.Latest(ctx)
	}
	name := which
	if !strings.HasPrefix(name, s.cfg.Prefix) {
		name = s.cfg.Prefix + name
	}
	st, err := s.cli.StatObject(ctx, s.cfg.Bucket, name, minio.StatObjectOptions{})
	if err != nil {
		return Object{}, fmt.Errorf("s3backup: backup %s in bucket %s: %w", name, s.cfg.Bucket, err)
	}
	created, _ := parseName(strings.TrimPrefix(name, s.cfg.Prefix))
	return Object{Name: name, Size: st.Size, Created: created}, nil
}

// Download copies the object into w and checks that its whole length
// arrived.
func (s *Store) Download(ctx context.Context, o Object, w io.Writer) (int64, error) {
	obj, err := s.cli.GetObject(ctx, s.cfg.Bucket, o.Name, minio.GetObjectOptions{})
	if err != nil {
		return 0, fmt.Errorf("s3backup: fetching %s: %w", o.Name, err)
	}
	defer obj.Close()
	n, err := io.Copy(w, obj)
	if err != nil {
		return n, fmt.Errorf("s3backup: fetching %s: %w", o.Name, err)
	}
	if n != o.Size {
		return n, fmt.Errorf("s3backup: fetching %s: got %d bytes, the object has %d", o.Name, n, o.Size)
	}
	return n, nil
}

// Prune deletes the oldest backups so that keep remain; keep <= 0 keeps
// all. It returns the names deleted.
func (s *Store) Prune(ctx context.Context, keep int) ([]string, error) {
	if keep <= 0 {
		return nil, nil
	}
	all, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	var gone []string
	for i := 0; i < len(all)-keep; i++ {
		if err := s.cli.RemoveObject(ctx, s.cfg.Bucket, all[i].Name, minio.RemoveObjectOptions{}); err != nil {
			return gone, fmt.Errorf("s3backup: deleting %s: %w", all[i].Name, err)
		}
		gone = append(gone, all[i].Name)
	}
	return gone, nil
}
