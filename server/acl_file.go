package server

// The aclfile: one "user <name> <rules...>" line per user, as ACL LIST
// prints them. ACL LOAD and start-up read it; ACL SAVE writes it through a
// temporary file renamed into place.

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vireodb/vireo/server/acl"
)

// aclFilePath is the aclfile, relative to dir when not absolute.
func (s *Server) aclFilePath() string {
	p := s.acl.fileName
	if !filepath.IsAbs(p) && s.opts.Dir != "" {
		p = filepath.Join(s.opts.Dir, p)
	}
	return p
}

// aclLoadFile replaces every user with the aclfile's (ACLLoadFromFile):
// all or nothing. A default user the file does not define gets the initial
// settings. Clients of the replaced users other than default are
// disconnected, as Redis frees them (c, the caller, after its reply).
func (s *Server) aclLoadFile(c *Ctx) error {
	path := s.aclFilePath()
	data, err := os.ReadFile(path)
	if err != nil {
		return aclFileErr("opening the ACL file %s: %v", path, err)
	}
	a := &s.acl
	users := make(map[string]*acl.User)
	var errs []string
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(line)
		lineNo := i + 1
		if f[0] != "user" {
			errs = append(errs, aclFileLineErr(path, lineNo, "line should start with user keyword"))
			continue
		}
		if len(f) < 2 {
			errs = append(errs, aclFileLineErr(path, lineNo, "user name is missing"))
			continue
		}
		name := f[1]
		if _, dup := users[name]; dup {
			errs = append(errs, aclFileLineErr(path, lineNo, "Duplicate user '"+name+"' found"))
			continue
		}
		u := acl.NewUser(a.cat, name, s.aclPubSubDefault())
		rules, open := aclMergeSelectors(f[2:])
		if open != "" {
			errs = append(errs, aclFileLineErr(path, lineNo, "Unmatched parenthesis in acl selector starting at '"+open+"'"))
			continue
		}
		bad := false
		for _, r := range rules {
			if err := u.SetRules(a.cat, []string{r}, s.aclPubSubDefault()); err != nil {
				errs = append(errs, aclFileLineErr(path, lineNo, aclRuleErrText(err)))
				bad = true
			}
		}
		if !bad {
			users[name] = u
		}
	}
	if len(errs) > 0 {
		return aclFileErr("%s", strings.Join(errs, " "))
	}
	a.mu.Lock()
	old := a.users
	a.users = make(map[string]*aclUser, len(users)+1)
	for name, u := range users {
		if name == "default" {
			continue
		}
		h := &aclUser{name: name}
		h.cur.Store(u)
		a.users[name] = h
	}
	def := users["default"]
	if def == nil {
		def = a.newDefaultUser().cur.Load()
	}
	a.defUser.cur.Store(def)
	a.users["default"] = a.defUser
	a.mu.Unlock()
	for name, h := range old {
		if name != "default" {
			h.deleted.Store(true)
			s.killUserClients(c, h)
		}
	}
	return nil
}

func aclFileLineErr(path string, line int, msg string) string {
	return path + ":" + strconv.Itoa(line) + ": " + msg + "."
}

// aclRuleErrText is a rule error's explanation.
func aclRuleErrText(err error) string {
	if e, ok := err.(*acl.SetUserError); ok {
		return e.Msg
	}
	return err.Error()
}

// aclSaveFile writes every user to the aclfile (ACLSaveToFile).
func (s *Server) aclSaveFile() error {
	var b strings.Builder
	for _, u := range s.aclUsersSorted() {
		b.WriteString(u.Describe(s.acl.cat))
		b.WriteByte('\n')
	}
	path := s.aclFilePath()
	tmp, err := os.CreateTemp(filepath.Dir(path), "temp-acl-*")
	if err != nil {
		return aclFileErr("creating a temporary file: %v", err)
	}
	if _, err := tmp.WriteString(b.String()); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return aclFileErr("writing %s: %v", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return aclFileErr("syncing %s: %v", tmp.Name(), err)
	}
	tmp.Close()
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return aclFileErr("renaming to %s: %v", path, err)
	}
	return nil
}
