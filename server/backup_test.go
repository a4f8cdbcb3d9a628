package server

import (
	"testing"

	"github.com/vireodb/vireo/persistence/snapshot"
)

func TestBGBackupNotConfigured(t *testing.T) {
	_, c, _ := persistServer(t)
	c.expect("bgbackup", "-"+errBackupNotConfigured+"\r\n")
	c.expect("bgbackup now", "-ERR wrong number of arguments for 'bgbackup' command\r\n")
	for field, want := range map[string]string{
		"s3_backup_configured": "0", "s3_backup_in_progress": "0", "s3_last_backup_status": "none",
		"s3_last_backup_time": "-1", "s3_backups": "0", "s3_backup_failures": "0",
	} {
		if got := infoValue(t, c, "backup", field); got != want {
			t.Errorf("INFO backup %s = %q, want %q", field, got, want)
		}
	}
}

// One snapshot at a time: while another runs, BGBACKUP and BGSAVE say so
// (BGSAVE SCHEDULE waits its turn) and nothing is contacted.
func TestBGBackupAndBGSaveShareTheSnapshot(t *testing.T) {
	s, c, _ := persistServer(t, "--vireo-s3-bucket", "b", "--vireo-s3-endpoint", "127.0.0.1:9", "--vireo-s3-tls", "no")
	c.do("set k v")
	s.ks.LockAll()
	other, err := snapshot.BeginLocked(s.ks, s.snapshotOptions())
	s.ks.UnlockAll()
	if err != nil {
		t.Fatal(err)
	}
	c.expect("bgbackup", "-"+errBackupBusy+"\r\n")
	c.expect("bgsave", "-"+errBGSaveBusy+"\r\n")
	c.expect("bgsave schedule", "+Background saving scheduled\r\n")
	if got := infoValue(t, c, "backup", "s3_backup_in_progress"); got != "0" {
		t.Errorf("s3_backup_in_progress %s", got)
	}
	s.ks.LockAll()
	other.Abort()
	s.ks.UnlockAll()
	other.Close()
}
