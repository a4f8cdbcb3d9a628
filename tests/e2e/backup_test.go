package e2e_test

// S3 backups against the built binary and a real S3-compatible server (the
// Versity S3 Gateway, started by harness.StartS3): BGBACKUP is point in
// time, a fresh server restores the backup at start-up with the same data,
// redis-server 7.0.15 loads a backup as its dump.rdb, automatic backups are
// pruned to the newest N, and failures are reported and leave the data file
// alone.

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/vireodb/vireo/persistence/s3backup"
	"github.com/vireodb/vireo/tests/harness"
)

const backupBucket = "vireo-backups"

// startS3 starts a gateway with the backup bucket and returns it with a
// store over prefix.
func startS3(t *testing.T, prefix string) (*harness.S3Gateway, *s3backup.Store) {
	t.Helper()
	gw := harness.StartS3(t)
	st, err := s3backup.Open(s3backup.Config{Endpoint: gw.Endpoint, Bucket: backupBucket, Prefix: prefix,
		AccessKey: gw.AccessKey, SecretKey: gw.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Client().MakeBucket(context.Background(), backupBucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("creating the bucket: %v", err)
	}
	return gw, st
}

// s3Args are the server options for backups to gw under prefix.
func s3Args(gw *harness.S3Gateway, prefix string, more ...string) []string {
	return append([]string{"--vireo-s3-endpoint", gw.Endpoint, "--vireo-s3-bucket", backupBucket,
		"--vireo-s3-prefix", prefix, "--vireo-s3-access-key", gw.AccessKey,
		"--vireo-s3-secret-key", gw.SecretKey, "--vireo-s3-tls", "no"}, more...)
}

// waitBackupIdle polls INFO backup until no backup runs and returns the
// section's text.
func waitBackupIdle(t *testing.T, v *harness.Server) string {
	t.Helper()
	c := v.Client(2)
	defer c.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		info, err := c.Info(context.Background(), "backup").Result()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(info, "s3_backup_in_progress:0") {
			return info
		}
		if time.Now().After(deadline) {
			t.Fatalf("backup still running after 30 s:\n%s", info)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestS3BackupAndRestore(t *testing.T) {
	gw, store := startS3(t, "prod/vireo/")
	ctx := context.Background()
	v := harness.StartVireo(t, s3Args(gw, "prod/vireo/")...)
	c := conn(t, v)
	keys := fillEveryType(t, c)
	wantAll, want := digests(t, c, keys)

	if got, err := c.Do(ctx, "BGBACKUP").Text(); err != nil || got != "Background backup started" {
		t.Fatalf("BGBACKUP = %q, %v", got, err)
	}
	// Point in time: what is written after the reply is not in the backup.
	for _, cmd := range [][]any{{"SELECT", "0"}, {"SET", "str", "changed"}, {"DEL", "list"}, {"SET", "new", "1"}, {"FLUSHDB"}} {
		if err := c.Do(ctx, cmd...).Err(); err != nil {
			t.Fatal(err)
		}
	}
	info := waitBackupIdle(t, v)
	if infoFieldString(t, info, "s3_last_backup_status") != "ok" || infoField(t, info, "s3_backups") != 1 {
		t.Fatalf("INFO backup after BGBACKUP:\n%s", info)
	}
	objs, err := store.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 1 || objs[0].Name != infoFieldString(t, info, "s3_last_backup_object") ||
		objs[0].Size != infoField(t, info, "s3_last_backup_size") || !strings.HasPrefix(objs[0].Name, "prod/vireo/dump-") {
		t.Fatalf("objects %+v; INFO:\n%s", objs, info)
	}
	if age := time.Since(objs[0].Created); age < 0 || age > time.Minute {
		t.Errorf("backup %s created %v ago", objs[0].Name, age)
	}

	t.Run("restore latest into a fresh server", func(t *testing.T) {
		r := harness.StartVireo(t, s3Args(gw, "prod/vireo/", "--vireo-s3-restore", "latest")...)
		gotAll, got := digests(t, conn(t, r), keys)
		compareDigests(t, "restored", gotAll, wantAll, got, want)
		if !strings.Contains(r.Output(), "Restored the backup from S3") {
			t.Errorf("no restore log line:\n%s", r.Output())
		}
	})
	t.Run("restore by name keeps the old data file", func(t *testing.T) {
		dir := t.TempDir()
		old := []byte("not the data")
		if err := os.WriteFile(filepath.Join(dir, "dump.rdb"), old, 0o644); err != nil {
			t.Fatal(err)
		}
		base := strings.TrimPrefix(objs[0].Name, "prod/vireo/")
		r := harness.StartVireo(t, s3Args(gw, "prod/vireo/", "--dir", dir, "--vireo-s3-restore", base)...)
		gotAll, got := digests(t, conn(t, r), keys)
		compareDigests(t, "restored by name", gotAll, wantAll, got, want)
		kept, err := os.ReadFile(filepath.Join(dir, "dump.rdb.pre-restore"))
		if err != nil || string(kept) != string(old) {
			t.Errorf("old data file: %q, %v", kept, err)
		}
	})
	t.Run("redis-server loads the backup", func(t *testing.T) {
		dir := t.TempDir()
		f, err := os.Create(filepath.Join(dir, "dump.rdb"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.Download(ctx, objs[0], f); err != nil {
			t.Fatal(err)
		}
		f.Close()
		r := harness.StartRedis(t, "--dir", dir)
		gotAll, got := digests(t, conn(t, r), keys)
		compareDigests(t, "redis-server", gotAll, wantAll, got, want)
	})
}

// Automatic backups every second, the newest two kept.
func TestS3BackupIntervalAndPruning(t *testing.T) {
	gw, store := startS3(t, "auto/")
	v := harness.StartVireo(t, s3Args(gw, "auto/", "--vireo-s3-backup-interval", "1", "--vireo-s3-backup-keep", "2")...)
	c := v.Client(2)
	defer c.Close()
	ctx := context.Background()
	c.Set(ctx, "k", "v", 0)
	deadline := time.Now().Add(30 * time.Second)
	for {
		info, err := c.Info(ctx, "backup").Result()
		if err != nil {
			t.Fatal(err)
		}
		if infoField(t, info, "s3_backups") >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("fewer than 3 automatic backups in 30 s:\n%s", info)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := c.ConfigSet(ctx, "vireo-s3-backup-interval", "0").Err(); err != nil {
		t.Fatal(err)
	}
	info := waitBackupIdle(t, v)
	objs, err := store.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 2 || objs[1].Name != infoFieldString(t, info, "s3_last_backup_object") || !objs[0].Created.Before(objs[1].Created) {
		t.Fatalf("kept %+v, want the newest 2; INFO:\n%s", objs, info)
	}
}

func TestS3BackupFailures(t *testing.T) {
	gw, store := startS3(t, "bad/")
	ctx := context.Background()

	t.Run("not configured", func(t *testing.T) {
		v := harness.StartVireo(t)
		err := v.Client(2).Do(ctx, "BGBACKUP").Err()
		if err == nil || !strings.Contains(err.Error(), "S3 backups are not configured") {
			t.Fatalf("BGBACKUP without a bucket: %v", err)
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		args := s3Args(gw, "bad/")
		for i := range args {
			if args[i] == gw.SecretKey {
				args[i] = "wrong-secret"
			}
		}
		v := harness.StartVireo(t, args...)
		c := v.Client(2)
		defer c.Close()
		c.Set(ctx, "k", "v", 0)
		if err := c.Do(ctx, "BGBACKUP").Err(); err != nil {
			t.Fatal(err)
		}
		info := waitBackupIdle(t, v)
		if infoFieldString(t, info, "s3_last_backup_status") != "err" || infoField(t, info, "s3_backup_failures") != 1 {
			t.Fatalf("INFO backup after a refused upload:\n%s", info)
		}
		if !waitOutput(v, "Background backup to S3 failed", 5*time.Second) {
			t.Errorf("no failure log line:\n%s", v.Output())
		}
		// The server keeps working and the next snapshot can start.
		if err := c.Do(ctx, "BGSAVE").Err(); err != nil {
			t.Errorf("BGSAVE after the failed backup: %v", err)
		}
	})
	t.Run("restore of a missing or corrupt backup stops the start-up", func(t *testing.T) {
		name := store.ObjectName(time.Now(), "corrupt1")
		if _, err := store.Upload(ctx, name, func(w io.Writer) error {
			_, err := w.Write([]byte("REDIS0010 this is no RDB file"))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, which := range []string{"dump-20200101T000000.000Z-none.rdb", "latest"} {
			dir := t.TempDir()
			data := []byte("the current data file")
			os.WriteFile(filepath.Join(dir, "dump.rdb"), data, 0o644)
			cmd := exec.Command(harness.BuildVireo(t), s3Args(gw, "bad/", "--port", "0", "--dir", dir, "--vireo-s3-restore", which)...)
			out, err := cmd.CombinedOutput()
			if err == nil || cmd.ProcessState.ExitCode() != 1 {
				t.Fatalf("restore of %s: exit %v, want 1:\n%s", which, err, out)
			}
			if !strings.Contains(string(out), "Restoring from S3 failed") {
				t.Errorf("restore of %s: no clear log line:\n%s", which, out)
			}
			if which == "latest" && !strings.Contains(string(out), "is not a valid RDB file") {
				t.Errorf("restore of the corrupt backup does not say it is corrupt:\n%s", out)
			}
			if got, _ := os.ReadFile(filepath.Join(dir, "dump.rdb")); string(got) != string(data) {
				t.Errorf("restore of %s changed the data file: %q", which, got)
			}
			if left, _ := filepath.Glob(filepath.Join(dir, "temp-*")); len(left) > 0 {
				t.Errorf("restore of %s left %v", which, left)
			}
		}
	})
}

// waitOutput waits until the server's output holds text (it is read from
// the process's pipe a little after the server writes it).
func waitOutput(v *harness.Server, text string, limit time.Duration) bool {
	for deadline := time.Now().Add(limit); ; time.Sleep(20 * time.Millisecond) {
		if strings.Contains(v.Output(), text) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}
