package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// config is one benchmark's shape; the defaults are the brief's workload.
type config struct {
	subscribers int // SUBSCRIBE connections, spread over the channels
	channels    int
	patterns    int // PSUBSCRIBE ch:* connections
	messages    int // PUBLISHes, round-robin over the channels
	size        int // payload bytes
	batch       int // PUBLISHes per pipelined batch
	timeout     time.Duration
}

func main() {
	var cfg config
	vireoAddr := flag.String("vireo", "", "Vireo address (host:port)")
	redisAddr := flag.String("redis", "", "redis-server address (host:port)")
	rounds := flag.Int("rounds", envInt("ROUNDS", 3), "rounds, median taken (env ROUNDS)")
	flag.IntVar(&cfg.messages, "n", envInt("FANOUT_N", 20000), "messages published per run (env FANOUT_N)")
	flag.IntVar(&cfg.subscribers, "subscribers", 1000, "SUBSCRIBE connections")
	flag.IntVar(&cfg.channels, "channels", 10, "channels the subscribers and messages are spread over")
	flag.IntVar(&cfg.patterns, "patterns", 100, "PSUBSCRIBE ch:* connections")
	flag.IntVar(&cfg.size, "size", 64, "payload bytes")
	flag.IntVar(&cfg.batch, "batch", 100, "PUBLISHes per pipelined batch")
	flag.DurationVar(&cfg.timeout, "timeout", 120*time.Second, "longest one run may take")
	flag.Parse()
	if err := cfg.validate(*rounds); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	servers := []struct{ name, addr string }{{"vireo", *vireoAddr}, {"redis", *redisAddr}}
	var present []int
	for i, s := range servers {
		if s.addr != "" {
			present = append(present, i)
		}
	}
	if len(present) == 0 {
		fmt.Fprintln(os.Stderr, "fanout: give -vireo and/or -redis")
		os.Exit(2)
	}

	fmt.Printf("fanout: %d subscribers over %d channels + %d pattern subscribers, %d messages of %d bytes in batches of %d, %d round(s)\n",
		cfg.subscribers, cfg.channels, cfg.patterns, cfg.messages, cfg.size, cfg.batch, *rounds)
	rates := make([][]float64, len(servers))
	failed := false
	for round := 1; round <= *rounds; round++ {
		order := present
		if round%2 == 0 && len(present) == 2 { // alternate who goes first
			order = []int{present[1], present[0]}
		}
		for _, i := range order {
			s := servers[i]
			rate, err := run(s.addr, cfg)
			if err != nil {
				fmt.Printf("  round %d %s: FAILED: %v\n", round, s.name, err)
				failed = true
				continue
			}
			fmt.Printf("  round %d %s: %.0f msg/s\n", round, s.name, rate)
			rates[i] = append(rates[i], rate)
		}
	}

	fmt.Printf("\n%-34s %14s %14s %7s\n", "test", "vireo msg/s", "redis msg/s", "ratio")
	v, r, ratio := median(rates[0]), median(rates[1]), "n/a"
	if v > 0 && r > 0 {
		ratio = fmt.Sprintf("%.2f", v/r)
	}
	fmt.Printf("%-34s %14s %14s %7s\n", "fanout", format(v), format(r), ratio)
	if failed {
		os.Exit(1)
	}
}

func (cfg config) validate(rounds int) error {
	if rounds < 1 || cfg.messages < 1 || cfg.channels < 1 || cfg.subscribers < 0 || cfg.patterns < 0 ||
		cfg.subscribers+cfg.patterns < 1 || cfg.size < 0 || cfg.batch < 1 {
		return errors.New("fanout: rounds, n, channels and batch must be at least 1, and there must be a subscriber")
	}
	return nil
}

// subscriber is one subscribed connection and what it must receive.
type subscriber struct {
	conn   net.Conn
	r      *bufio.Reader
	want   int64
	got    atomic.Int64
	header string // the first line of each message: "*3" message, "*4" pmessage
}

// run measures one server: connects and subscribes everyone, publishes,
// waits for every subscriber's last message, and returns delivered messages
// per second.
func run(addr string, cfg config) (float64, error) {
	subs := make([]*subscriber, 0, cfg.subscribers+cfg.patterns)
	defer func() {
		for _, s := range subs {
			s.conn.Close()
		}
	}()
	// Message j goes to channel j % channels.
	perChannel := func(ch int) int64 {
		n := cfg.messages / cfg.channels
		if ch < cfg.messages%cfg.channels {
			n++
		}
		return int64(n)
	}
	receivers := make([]int, cfg.channels) // PUBLISH's expected reply per channel
	for i := 0; i < cfg.subscribers+cfg.patterns; i++ {
		var cmd []string
		s := &subscriber{}
		if i < cfg.subscribers {
			ch := i % cfg.channels
			cmd = []string{"SUBSCRIBE", channel(ch)}
			s.want = perChannel(ch)
			s.header = "*3\r\n"
			receivers[ch]++
		} else {
			cmd = []string{"PSUBSCRIBE", "ch:*"}
			s.want = int64(cfg.messages)
			s.header = "*4\r\n"
			for ch := range receivers {
				receivers[ch]++
			}
		}
		conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			return 0, fmt.Errorf("fanout: connect subscriber %d: %w", i, err)
		}
		s.conn = conn
		s.r = bufio.NewReaderSize(conn, 256<<10)
		subs = append(subs, s)
		if _, err := conn.Write(encode(cmd...)); err != nil {
			return 0, fmt.Errorf("fanout: subscriber %d: %w", i, err)
		}
		// The confirmation: once read, the server has registered the
		// subscription, so no message can be missed.
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		if err := skipFrame(s.r); err != nil {
			return 0, fmt.Errorf("fanout: subscriber %d %v confirmation: %w", i, cmd, err)
		}
		conn.SetReadDeadline(time.Time{})
	}

	pub, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return 0, fmt.Errorf("fanout: connect publisher: %w", err)
	}
	defer pub.Close()
	pubReader := bufio.NewReaderSize(pub, 64<<10)

	// Every subscriber counts its frames; the last one to reach its count
	// stops the clock.
	var wg sync.WaitGroup
	var lastNanos atomic.Int64
	readErrs := make(chan error, len(subs))
	for i, s := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s.got.Load() < s.want {
				if err := skipMessage(s.r, s.header); err != nil {
					readErrs <- fmt.Errorf("subscriber %d: after %d of %d messages: %w", i, s.got.Load(), s.want, err)
					return
				}
				s.got.Add(1)
			}
			now := time.Now().UnixNano()
			for {
				last := lastNanos.Load()
				if now <= last || lastNanos.CompareAndSwap(last, now) {
					break
				}
			}
		}()
	}

	payload := bytes.Repeat([]byte{'x'}, cfg.size)
	var batch bytes.Buffer
	var receiversErr error
	start := time.Now()
	deadline := start.Add(cfg.timeout)
	for sent := 0; sent < cfg.messages; {
		batch.Reset()
		n := min(cfg.batch, cfg.messages-sent)
		for j := sent; j < sent+n; j++ {
			appendCommand(&batch, []byte("PUBLISH"), []byte(channel(j%cfg.channels)), payload)
		}
		pub.SetDeadline(deadline)
		if _, err := pub.Write(batch.Bytes()); err != nil {
			return 0, fmt.Errorf("fanout: publish: %w", err)
		}
		for j := sent; j < sent+n; j++ {
			got, err := readInteger(pubReader)
			if err != nil {
				return 0, fmt.Errorf("fanout: PUBLISH reply %d: %w", j, err)
			}
			// Publishing goes on so that the short counts are reported too.
			if want := receivers[j%cfg.channels]; got != want && receiversErr == nil {
				receiversErr = fmt.Errorf("fanout: PUBLISH %d to %s reached %d receivers, want %d", j, channel(j%cfg.channels), got, want)
			}
		}
		sent += n
	}

	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Until(deadline)):
		// Unblock the readers, then report the short counts below.
		for _, s := range subs {
			s.conn.SetReadDeadline(time.Now())
		}
		<-done
	}
	close(readErrs)
	if err := errors.Join(receiversErr, shortCounts(subs, readErrs)); err != nil {
		return 0, err
	}

	// Nothing more may arrive: a subscriber given a message twice would
	// have had it counted instead of a missing one.
	quiet := time.Now().Add(50 * time.Millisecond)
	for _, s := range subs {
		s.conn.SetReadDeadline(quiet)
	}
	for i, s := range subs {
		if _, err := s.r.Peek(1); err == nil {
			return 0, fmt.Errorf("fanout: subscriber %d: more than its %d messages", i, s.want)
		}
	}

	var total int64
	for _, s := range subs {
		total += s.got.Load()
	}
	elapsed := time.Duration(lastNanos.Load() - start.UnixNano())
	if elapsed <= 0 {
		return 0, errors.New("fanout: no time measured")
	}
	return float64(total) / elapsed.Seconds(), nil
}

// shortCounts reports the subscribers that did not get all their messages.
func shortCounts(subs []*subscriber, readErrs <-chan error) error {
	var short, missing int64
	var first error
	for err := range readErrs {
		if first == nil {
			first = err
		}
	}
	for _, s := range subs {
		if got := s.got.Load(); got < s.want {
			short++
			missing += s.want - got
		}
	}
	if short == 0 && first == nil {
		return nil
	}
	return fmt.Errorf("fanout: %d of %d subscribers short, %d messages missing (first: %v)", short, len(subs), missing, first)
}

func channel(i int) string { return "ch:" + strconv.Itoa(i) }

func encode(args ...string) []byte {
	var b bytes.Buffer
	bs := make([][]byte, len(args))
	for i, a := range args {
		bs[i] = []byte(a)
	}
	appendCommand(&b, bs...)
	return b.Bytes()
}

func appendCommand(b *bytes.Buffer, args ...[]byte) {
	b.WriteByte('*')
	b.WriteString(strconv.Itoa(len(args)))
	b.WriteString("\r\n")
	for _, a := range args {
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(len(a)))
		b.WriteString("\r\n")
		b.Write(a)
		b.WriteString("\r\n")
	}
}

// skipMessage reads one pushed message, which must start with header (its
// array length), and discards it. Checking only the header keeps the
// client cheap; PUBLISH's receiver counts and the exact totals do the rest.
func skipMessage(r *bufio.Reader, header string) error {
	line, err := r.ReadSlice('\n')
	if err != nil {
		return err
	}
	if string(line) != header {
		return fmt.Errorf("fanout: message starts %q, want %q", line, header)
	}
	for range int(header[1] - '0') {
		if err := skipFrame(r); err != nil {
			return err
		}
	}
	return nil
}

// skipFrame reads one complete RESP2/RESP3 frame and discards it; an error
// reply is returned as an error.
func skipFrame(r *bufio.Reader) error {
	line, err := r.ReadSlice('\n')
	if err != nil {
		return err
	}
	if len(line) < 3 || line[len(line)-2] != '\r' {
		return fmt.Errorf("fanout: bad RESP line %q", line)
	}
	body := line[1 : len(line)-2]
	switch line[0] {
	case '*', '>', '~', '%':
		n, err := atoi(body)
		if err != nil {
			return err
		}
		if line[0] == '%' {
			n *= 2
		}
		for range n { // -1 (null array) skips nothing
			if err := skipFrame(r); err != nil {
				return err
			}
		}
	case '$', '=', '!':
		n, err := atoi(body)
		if err != nil {
			return err
		}
		if n >= 0 {
			if _, err := r.Discard(n + 2); err != nil {
				return err
			}
		}
	case '-':
		return fmt.Errorf("fanout: server error %q", body)
	}
	return nil
}

// readInteger reads one integer reply.
func readInteger(r *bufio.Reader) (int, error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		return 0, err
	}
	if len(line) < 4 || line[0] != ':' || line[len(line)-2] != '\r' {
		return 0, fmt.Errorf("fanout: want an integer reply, got %q", line)
	}
	return atoi(line[1 : len(line)-2])
}

func atoi(b []byte) (int, error) {
	n, err := strconv.Atoi(string(b))
	if err != nil {
		return 0, fmt.Errorf("fanout: bad length %q: %w", b, err)
	}
	return n, nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func format(x float64) string {
	if x == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f", x)
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}
