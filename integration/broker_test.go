package integration

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// ownBroker is a real Kafka broker started for one test with
// deploy/kafka/kafka.sh, on free ports and its own data directory, so the
// test may stop and restart it without disturbing the shared broker.
type ownBroker struct {
	t      *testing.T
	script string
	env    []string
	Addr   string
}

// startOwnBroker starts a broker from the jars "kafka.sh fetch" cached. It
// skips the test (fails it under SCALORA_REQUIRE_INTEGRATION=1) when java
// or the jars are missing. The broker is stopped when the test ends.
func startOwnBroker(t *testing.T) *ownBroker {
	t.Helper()

	cache := os.Getenv("SCALORA_CACHE")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache", "scalora")
	}
	libs := filepath.Join(cache, "kafka", "libs")
	if _, err := os.Stat(filepath.Join(libs, ".complete")); err != nil {
		unavailable(t, "kafka jars", err, "fetch them with deploy/kafka/kafka.sh fetch")
	}
	if _, err := exec.LookPath("java"); err != nil {
		unavailable(t, "java", err, "install a JRE 17 or later")
	}

	// Its own cache with the shared jars: data, pid and logs stay apart.
	own := t.TempDir()
	if err := os.MkdirAll(filepath.Join(own, "kafka"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(libs, filepath.Join(own, "kafka", "libs")); err != nil {
		t.Fatal(err)
	}

	ports := freePorts(t, 2)
	_, file, _, _ := runtime.Caller(0)
	b := &ownBroker{
		t:      t,
		script: filepath.Join(filepath.Dir(file), "..", "deploy", "kafka", "kafka.sh"),
		env: append(os.Environ(), "SCALORA_CACHE="+own,
			"KAFKA_PORT="+strconv.Itoa(ports[0]), "KAFKA_CONTROLLER_PORT="+strconv.Itoa(ports[1]),
			"KAFKA_HEAP=-Xmx512m -Xms256m"),
	}
	b.Addr = b.run("start")
	t.Cleanup(func() {
		if t.Failed() {
			logBrokerTail(t, filepath.Join(own, "kafka", "run", "broker.log"))
		}
		b.run("stop")
	})
	return b
}

// Restart stops the broker and starts it again on the same data.
func (b *ownBroker) Restart() {
	b.run("stop")
	b.run("start")
}

func (b *ownBroker) run(verb string) string {
	b.t.Helper()
	cmd := exec.Command("bash", b.script, verb)
	cmd.Env = b.env
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		b.t.Fatalf("kafka.sh %s: %v\n%s", verb, err, stderr)
	}
	return strings.TrimSpace(string(out))
}

// logBrokerTail logs the end of a failed test's broker log: a broker that
// died mid-test says why there, and the log goes with the test's folder.
func logBrokerTail(t *testing.T, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Logf("broker log: %v", err)
		return
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	t.Logf("last lines of the broker log:\n%s", strings.Join(lines[max(0, len(lines)-40):], "\n"))
}

// freePorts returns n distinct free loopback ports: all are held open
// until every one is picked, so the system cannot hand out one twice.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	ports := make([]int, n)
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		ports[i] = l.Addr().(*net.TCPAddr).Port
	}
	return ports
}
