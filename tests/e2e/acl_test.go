package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/vireodb/vireo/tests/harness"
)

// userClient connects to srv as an ACL user with go-redis.
func userClient(t *testing.T, srv *harness.Server, user, pass string) *redis.Client {
	t.Helper()
	opt := srv.Options(2)
	opt.Username, opt.Password = user, pass
	c := redis.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	return c
}

// A restricted user runs only its commands, on its keys and channels; the
// admin sees the denials in ACL LOG and INFO.
func TestACLRestrictedUser(t *testing.T) {
	ctx := context.Background()
	srv := harness.StartVireo(t)
	admin := srv.Client(2)
	defer admin.Close()
	if err := admin.Do(ctx, "ACL", "SETUSER", "app", "on", ">secret", "~app:*", "&app.*", "+@read", "+set", "+publish").Err(); err != nil {
		t.Fatal(err)
	}
	app := userClient(t, srv, "app", "secret")
	if err := app.Set(ctx, "app:1", "v", 0).Err(); err != nil {
		t.Fatalf("SET on an allowed key: %v", err)
	}
	if v, err := app.Get(ctx, "app:1").Result(); err != nil || v != "v" {
		t.Fatalf("GET app:1 = %q, %v", v, err)
	}
	denied := []struct {
		args []any
		want string
	}{
		{[]any{"SET", "other", "v"}, "NOPERM this user has no permissions to access one of the keys used as arguments"},
		{[]any{"DEL", "app:1"}, "NOPERM this user has no permissions to run the 'del' command"},
		{[]any{"CONFIG", "GET", "port"}, "NOPERM this user has no permissions to run the 'config|get' command"},
		{[]any{"PUBLISH", "news", "x"}, "NOPERM this user has no permissions to access one of the channels used as arguments"},
	}
	for _, d := range denied {
		err := app.Do(ctx, d.args...).Err()
		if err == nil || err.Error() != d.want {
			t.Errorf("%v: got %v, want %q", d.args, err, d.want)
		}
	}
	if n, err := app.Publish(ctx, "app.events", "x").Result(); err != nil || n != 0 {
		t.Errorf("PUBLISH app.events = %d, %v", n, err)
	}
	if who, err := app.Do(ctx, "ACL", "WHOAMI").Result(); err == nil {
		t.Errorf("ACL WHOAMI allowed for app: %v", who)
	}
	if err := userClient(t, srv, "app", "wrong").Ping(ctx).Err(); err == nil ||
		err.Error() != "WRONGPASS invalid username-password pair or user is disabled." {
		t.Errorf("wrong password: %v", err)
	}
	info, err := admin.Info(ctx, "stats").Result()
	if err != nil {
		t.Fatal(err)
	}
	// go-redis's CLIENT SETINFO on connecting is denied too (a command
	// denial per connection, logged once).
	for _, want := range []string{"acl_access_denied_key:1\r", "acl_access_denied_channel:1\r"} {
		if !strings.Contains(info, want) {
			t.Errorf("INFO stats lacks %s:\n%s", want, info)
		}
	}
	for _, zero := range []string{"acl_access_denied_auth:0\r", "acl_access_denied_cmd:0\r"} {
		if strings.Contains(info, zero) || !strings.Contains(info, strings.TrimSuffix(zero, "0\r")) {
			t.Errorf("INFO stats: want a nonzero %s", strings.TrimSuffix(zero, ":0\r"))
		}
	}
	log, err := admin.Do(ctx, "ACL", "LOG").Slice()
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]bool{}
	for _, e := range log {
		// RESP2: a flat list of field, value pairs.
		fields, _ := e.([]any)
		m := map[any]any{}
		for i := 0; i+1 < len(fields); i += 2 {
			m[fields[i]] = fields[i+1]
		}
		reasons[fmt.Sprint(m["reason"], " ", m["object"])] = true
	}
	for _, want := range []string{"key other", "command del", "command config|get", "channel news", "auth AUTH"} {
		if !reasons[want] {
			t.Errorf("ACL LOG lacks %q: %v", want, reasons)
		}
	}
	// CLIENT LIST shows the user; DELUSER disconnects its clients.
	list, err := admin.ClientList(ctx).Result()
	if err != nil || !strings.Contains(list, "user=app") {
		t.Errorf("CLIENT LIST lacks user=app: %v\n%s", err, list)
	}
	if n, err := admin.Do(ctx, "ACL", "DELUSER", "app").Int(); err != nil || n != 1 {
		t.Fatalf("DELUSER = %d, %v", n, err)
	}
	list, _ = admin.ClientList(ctx).Result()
	if strings.Contains(list, "user=app") {
		t.Errorf("a client of the deleted user is still connected:\n%s", list)
	}
}

// requirepass is the default user's password, and CONFIG SET changes it.
func TestACLRequirePass(t *testing.T) {
	ctx := context.Background()
	srv := harness.StartVireo(t, "--requirepass", "pw1")
	c := userClient(t, srv, "", "pw1")
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatalf("AUTH pw1: %v", err)
	}
	if err := c.ConfigSet(ctx, "requirepass", "pw2").Err(); err != nil {
		t.Fatal(err)
	}
	if err := userClient(t, srv, "default", "pw2").Ping(ctx).Err(); err != nil {
		t.Errorf("AUTH default pw2: %v", err)
	}
	if err := userClient(t, srv, "", "pw1").Ping(ctx).Err(); err == nil {
		t.Error("the old password still authenticates")
	}
}

// ACL SAVE writes the aclfile; a restart loads its users.
func TestACLFileSaveRestart(t *testing.T) {
	ctx := context.Background()
	aclPath := filepath.Join(t.TempDir(), "users.acl")
	if err := os.WriteFile(aclPath, []byte("user default on nopass ~* &* +@all\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := harness.StartVireo(t, "--aclfile", aclPath)
	admin := srv.Client(2)
	defer admin.Close()
	if err := admin.Do(ctx, "ACL", "SETUSER", "ro", "on", ">pw", "~*", "&*", "-@all", "+get").Err(); err != nil {
		t.Fatal(err)
	}
	if err := admin.Do(ctx, "ACL", "SETUSER", "sel", "on", "nopass", "~a*", "+get", "(+set", "~s*)").Err(); err != nil {
		t.Fatal(err)
	}
	want, err := admin.Do(ctx, "ACL", "LIST").StringSlice()
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.Do(ctx, "ACL", "SAVE").Err(); err != nil {
		t.Fatalf("ACL SAVE: %v", err)
	}
	data, _ := os.ReadFile(aclPath)
	if !strings.Contains(string(data), "user ro on #") {
		t.Fatalf("aclfile lacks user ro:\n%s", data)
	}
	admin.Close()
	srv.Stop()
	srv.Restart()
	admin2 := srv.Client(2)
	defer admin2.Close()
	got, err := admin2.Do(ctx, "ACL", "LIST").StringSlice()
	if err != nil || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("after restart ACL LIST = %q, %v; want %q", got, err, want)
	}
	ro := userClient(t, srv, "ro", "pw")
	if err := ro.Get(ctx, "k").Err(); err != redis.Nil {
		t.Errorf("GET as ro: %v", err)
	}
	if err := ro.Set(ctx, "k", "v", 0).Err(); err == nil {
		t.Error("SET allowed for ro")
	}
}
