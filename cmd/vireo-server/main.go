// Command vireo-server starts a Vireo server.
//
//	vireo-server [/path/to/vireo.conf] [--name value ...]
//
// Like redis-server: an optional config file in redis.conf syntax, then
// --name value overrides. Without a config file the embedded default.conf
// is used (port 6379 on localhost, data in ./data).
package main

import (
	_ "embed"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/vireodb/vireo/server"
	"github.com/vireodb/vireo/server/config"
)

//go:embed default.conf
var defaultConf string

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	var cfg *config.Config
	var err error
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cfg, err = config.Load("", args)
	} else {
		// The embedded config keeps data in ./data; create it first, as
		// the config loader checks that dir exists, like redis-server.
		if err := os.MkdirAll("data", 0o755); err != nil {
			fmt.Fprintf(os.Stderr, "vireo: can't create ./data: %v\n", err)
			return 1
		}
		cfg, err = config.LoadEmbedded("default.conf", defaultConf, args)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	st := cfg.Snapshot()
	if err := os.MkdirAll(st.Dir, 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "vireo: can't create dir %s: %v\n", st.Dir, err)
		return 1
	}
	setupLogging(st.LogLevel, st.LogFile)
	srv := server.New(cfg)
	// vireo-s3-restore: put a backup in place of the data file first.
	if err := srv.RestoreFromS3(); err != nil {
		slog.Error("Restoring from S3 failed, exiting.", "err", err)
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// Never serve with data silently missing: a file that cannot be read
	// stops the start-up.
	if err := srv.LoadDataFile(); err != nil {
		slog.Error("Fatal error loading the DB, exiting.", "err", err)
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := srv.Start(); err != nil {
		slog.Error("can't start", "err", err)
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	slog.Info("Ready to accept connections", "addr", srv.Addr().String(), "version", server.Version, "pid", os.Getpid())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	failedInt := false
wait:
	for {
		select {
		case s := <-sig:
			if s == os.Interrupt && failedInt {
				// A second SIGINT after a failed save: Redis's "You insist".
				slog.Warn("You insist... exiting now.")
				return 1
			}
			slog.Info("received signal, shutting down", "signal", s.String())
			if srv.Shutdown() { // saves first when save points are set
				break wait
			}
			// The save failed: keep serving rather than lose the data.
			failedInt = s == os.Interrupt
		case <-srv.Done():
			break wait
		}
	}
	srv.Close()
	slog.Info("Vireo is now ready to exit, bye bye...")
	return 0
}

// setupLogging maps Redis's loglevel and logfile onto log/slog.
func setupLogging(level, file string) {
	var lv slog.Level
	switch level {
	case "debug":
		lv = slog.LevelDebug
	case "verbose", "notice":
		lv = slog.LevelInfo
	default:
		lv = slog.LevelWarn
	}
	out := os.Stdout
	if file != "" {
		if f, err := os.OpenFile(file, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644); err == nil {
			out = f
		}
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: lv})))
}
