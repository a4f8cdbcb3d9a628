// Command vireo-server starts a Vireo server.
//
//	vireo-server [/path/to/vireo.conf] [--name value ...]
//
// Like redis-server: an optional config file in redis.conf syntax, then
// --name value overrides. Without a config file the embedded default.conf
// is used.
package main

import (
	_ "embed"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/vireodb/vireo/server"
)

//go:embed default.conf
var defaultConf string

func main() {
	opts, err := loadOptions(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if opts.Dir != "" {
		if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
			fmt.Fprintf(os.Stderr, "vireo: can't create dir %s: %v\n", opts.Dir, err)
			os.Exit(1)
		}
	}
	srv := server.New(opts)
	if err := srv.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	slog.Info("Ready to accept connections", "addr", srv.Addr().String(), "version", server.Version)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	select {
	case s := <-sig:
		slog.Info("received signal, shutting down", "signal", s.String())
	case <-srv.Done():
	}
	srv.Close()
}

// loadOptions is a minimal reader of the config file and overrides.
func loadOptions(args []string) (server.Options, error) {
	o := server.DefaultOptions()
	text, name := defaultConf, "default.conf"
	if len(args) > 0 && !strings.HasPrefix(args[0], "--") {
		b, err := os.ReadFile(args[0])
		if err != nil {
			return o, fmt.Errorf("vireo: can't open config file %q: %w", args[0], err)
		}
		text, name = string(b), args[0]
		args = args[1:]
	}
	for i, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if err := apply(&o, strings.ToLower(f[0]), f[1:]); err != nil {
			return o, fmt.Errorf("vireo: config file %s, line %d: %q: %v", name, i+1, line, err)
		}
	}
	for i := 0; i < len(args); {
		if !strings.HasPrefix(args[i], "--") {
			return o, fmt.Errorf("vireo: unexpected argument %q", args[i])
		}
		n := strings.ToLower(args[i][2:])
		j := i + 1
		for j < len(args) && !strings.HasPrefix(args[j], "--") {
			j++
		}
		if err := apply(&o, n, args[i+1:j]); err != nil {
			return o, fmt.Errorf("vireo: argument --%s: %v", n, err)
		}
		i = j
	}
	return o, nil
}

func apply(o *server.Options, name string, vals []string) error {
	one := func() (string, error) {
		if len(vals) != 1 {
			return "", fmt.Errorf("wrong number of arguments")
		}
		return vals[0], nil
	}
	atoi := func() (int, error) {
		v, err := one()
		if err != nil {
			return 0, err
		}
		return strconv.Atoi(v)
	}
	var err error
	switch name {
	case "port":
		o.Port, err = atoi()
	case "bind":
		o.Bind = vals
	case "unixsocket":
		o.UnixSocket, err = one()
	case "databases":
		o.Databases, err = atoi()
	case "dir":
		o.Dir, err = one()
	case "requirepass":
		o.RequirePass, err = one()
	case "maxclients":
		o.MaxClients, err = atoi()
	case "timeout":
		o.Timeout, err = atoi()
	case "hz":
		o.Hz, err = atoi()
	case "enable-debug-command":
		o.EnableDebug, err = one()
	case "loglevel", "save", "appendonly", "protected-mode", "logfile":
	default:
		return fmt.Errorf("Bad directive or wrong number of arguments")
	}
	return err
}
