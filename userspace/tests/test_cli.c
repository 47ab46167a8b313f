// SPDX-License-Identifier: GPL-2.0
/*
 * CLI tests: run the built wbctl and check exit status, stdout and
 * stderr.  Every case here fails before wbctl opens a netlink socket.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

#define NO_NS	"wbctl-test-no-such-netns"

struct run {
	int rc;
	char out[4096];
	char err[4096];
};

static const char *wbctl_path;

static void slurp(FILE *fp, char *dst, size_t size)
{
	size_t n;

	rewind(fp);
	n = fread(dst, 1, size - 1, fp);
	dst[n] = 0;
	fclose(fp);
}

/* Run wbctl with argv (NULL-terminated, without argv[0]). */
static void run(struct run *r, char **args)
{
	FILE *out = tmpfile(), *err = tmpfile();
	char *argv[32] = { (char *)wbctl_path };
	int i, status;
	pid_t pid;

	for (i = 0; args[i] && i < 30; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		execv(wbctl_path, argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	r->rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
}

#define RUN(r, ...)	run(r, (char *[]){ __VA_ARGS__, NULL })

/* rc, and stderr either equal to want_err or (if has) containing it. */
static void check(const char *what, struct run *r, int rc, bool has,
		  const char *want_err)
{
	tap_is_int(r->rc, rc, "%s: exit status %d", what, rc);
	if (has)
		tap_has_str(r->err, want_err, "%s: stderr", what);
	else
		tap_is_str(r->err, want_err, "%s: stderr", what);
	tap_is_str(r->out, "", "%s: nothing on stdout", what);
}

static void test_top(void)
{
	struct run r;

	run(&r, (char *[]){ NULL });
	check("wbctl", &r, 255, true, "Usage: wbctl [ OPTIONS ] OBJECT");
	RUN(&r, "help");
	check("wbctl help", &r, 255, true,
	      "where  OBJECT := { pair | nic | rule | policy | stats | trace | ct |\n"
	      "                   monitor }\n");
	RUN(&r, "-h");
	check("wbctl -h", &r, 255, true, "Usage: wbctl");
	RUN(&r, "--help");
	check("wbctl --help", &r, 255, true, "Usage: wbctl");
	RUN(&r, "foo");
	check("wbctl foo", &r, 1, false,
	      "Object \"foo\" is unknown, try \"wbctl help\".\n");
	RUN(&r, "pai");
	check("wbctl pai (no prefix match)", &r, 1, false,
	      "Object \"pai\" is unknown, try \"wbctl help\".\n");
	RUN(&r, "-x", "pair");
	check("wbctl -x", &r, 255, false,
	      "Option \"-x\" is unknown, try \"wbctl -help\".\n");
	RUN(&r, "-jso", "pair");
	check("wbctl -jso (no prefix match)", &r, 255, true,
	      "Option \"-jso\" is unknown");
	RUN(&r, "-j", "-p", "help");
	check("wbctl -j -p help", &r, 255, true, "Usage: wbctl");

	RUN(&r, "-V");
	tap_is_int(r.rc, 0, "wbctl -V: exit status 0");
	tap_has_str(r.out, "wbctl utility, wirebox-", "wbctl -V: version");
	RUN(&r, "-Version");
	tap_is_int(r.rc, 0, "wbctl -Version: exit status 0");
}

static void test_netns(void)
{
	struct run r;

	RUN(&r, "-n", NO_NS, "pair", "show");
	check("wbctl -n nosuchns", &r, 1, false,
	      "Error: netns \"" NO_NS "\" not found.\n");
	RUN(&r, "-netns", NO_NS, "pair");
	check("wbctl -netns nosuchns", &r, 1, true, "not found");
	RUN(&r, "-n");
	check("wbctl -n (no value)", &r, 255, true,
	      "Command line is not complete");
	RUN(&r, "-n", "../x", "pair");
	check("wbctl -n ../x", &r, 255, true, "invalid netns name");
	RUN(&r, "-n", "a", "-n", "b", "pair");
	check("wbctl -n a -n b", &r, 255, true, "duplicate \"-netns\"");
}

static void test_pair_cmds(void)
{
	struct run r;

	RUN(&r, "pair", "help");
	check("pair help", &r, 255, true, "Usage: wbctl pair add");
	RUN(&r, "pair", "foo");
	check("pair foo", &r, 255, false,
	      "Command \"foo\" is unknown, try \"wbctl pair help\".\n");
	RUN(&r, "pair", "sh");
	check("pair sh (no prefix match)", &r, 255, true,
	      "Command \"sh\" is unknown");
	RUN(&r, "pair", "add", "help");
	check("pair add help", &r, 255, true, "Usage: wbctl pair add");
	RUN(&r, "pair", "del", "help");
	check("pair del help", &r, 255, true, "Usage: wbctl pair add");
	RUN(&r, "pair", "show", "help");
	check("pair show help", &r, 255, true, "Usage: wbctl pair add");
}

static void test_pair_add(void)
{
	struct run r;

	RUN(&r, "pair", "add");
	check("pair add", &r, 255, false,
	      "Error: device NAME is required, try \"wbctl pair help\".\n");
	RUN(&r, "pair", "add", "a", "peer");
	check("pair add a peer", &r, 255, false,
	      "Command line is not complete. Try option \"help\"\n");
	RUN(&r, "pair", "add", "a", "peer", "b", "mode", "fast");
	check("pair add mode fast", &r, 255, false,
	      "Error: argument \"fast\" is wrong: mode is \"xmit\" or \"napi\".\n");
	RUN(&r, "pair", "add", "a", "mode");
	check("pair add a mode", &r, 255, true, "not complete");
	RUN(&r, "pair", "add", "abcdefghijklmnop", "peer", "b");
	check("pair add (16-byte name)", &r, 255, false,
	      "Error: argument \"abcdefghijklmnop\" is wrong: device name is too long (at most 15 bytes).\n");
	RUN(&r, "pair", "add", "a", "peer", "abcdefghijklmnop");
	check("pair add (16-byte peer)", &r, 255, true, "too long");
	RUN(&r, "pair", "add", "a", "peer", "b c");
	check("pair add (peer with space)", &r, 255, true, "white space");
	RUN(&r, "pair", "add", "", "peer", "b");
	check("pair add (empty name)", &r, 255, true, "empty");
	RUN(&r, "pair", "add", "a", "peer", "a");
	check("pair add a peer a", &r, 255, true, "must differ");
	RUN(&r, "pair", "add", "a", "b");
	check("pair add a b", &r, 255, true, "is garbage");
	RUN(&r, "pair", "add", "a", "peer", "b", "netns", NO_NS);
	check("pair add netns nosuchns", &r, 1, false,
	      "Error: netns \"" NO_NS "\" not found.\n");
}

static void test_pair_del_show(void)
{
	struct run r;

	RUN(&r, "pair", "del");
	check("pair del", &r, 255, true, "device NAME is required");
	RUN(&r, "pair", "delete", "a", "b");
	check("pair delete a b", &r, 255, true, "is garbage");
	RUN(&r, "pair", "del", "dev");
	check("pair del dev", &r, 255, true, "not complete");
	RUN(&r, "pair", "show", "a:b");
	check("pair show a:b", &r, 255, true, "cannot contain");
	RUN(&r, "pair", "list", "dev", "x", "y");
	check("pair list dev x y", &r, 255, true, "is garbage");
}

static void test_nic_cmds(void)
{
	struct run r;

	RUN(&r, "nic", "help");
	check("nic help", &r, 255, true, "Usage: wbctl nic add");
	RUN(&r, "nic", "foo");
	check("nic foo", &r, 255, false,
	      "Command \"foo\" is unknown, try \"wbctl nic help\".\n");
	RUN(&r, "nic", "sh");
	check("nic sh (no prefix match)", &r, 255, true,
	      "Command \"sh\" is unknown");
	RUN(&r, "ni");
	check("wbctl ni (no prefix match)", &r, 1, true,
	      "Object \"ni\" is unknown");
	RUN(&r, "nic", "add", "help");
	check("nic add help", &r, 255, true, "wbctl nic set [ dev ] NAME");
	RUN(&r, "nic", "cable", "help");
	check("nic cable help", &r, 255, true, "Usage: wbctl nic add");
	RUN(&r, "nic", "set", "help");
	check("nic set help", &r, 255, true, "Usage: wbctl nic add");
	RUN(&r, "nic", "uncable", "help");
	check("nic uncable help", &r, 255, true, "Usage: wbctl nic add");
	RUN(&r, "nic", "show", "help");
	check("nic show help", &r, 255, true, "Usage: wbctl nic add");
}

static void test_nic_args(void)
{
	struct run r;

	RUN(&r, "nic", "add");
	check("nic add", &r, 255, false,
	      "Error: device NAME is required, try \"wbctl nic help\".\n");
	RUN(&r, "nic", "add", "a", "rx-ring", "1000");
	check("nic add rx-ring 1000", &r, 255, false,
	      "Error: argument \"1000\" is wrong: rx-ring is a power of two from 64 to 4096.\n");
	RUN(&r, "nic", "add", "a", "queues", "9");
	check("nic add queues 9", &r, 255, true, "queues is from 1 to 8");
	RUN(&r, "nic", "del");
	check("nic del", &r, 255, true, "device NAME is required");
	RUN(&r, "nic", "cable", "a");
	check("nic cable a", &r, 255, false,
	      "Error: PEER is required, try \"wbctl nic help\".\n");
	RUN(&r, "nic", "cable", "a", "b", "netns", NO_NS);
	check("nic cable netns nosuchns", &r, 1, false,
	      "Error: netns \"" NO_NS "\" not found.\n");
	RUN(&r, "nic", "uncable");
	check("nic uncable", &r, 255, true, "device NAME is required");
	RUN(&r, "nic", "set", "a");
	check("nic set a", &r, 255, true,
	      "one of loss, corrupt, loopback or flap is required");
	RUN(&r, "nic", "set", "a", "loss", "150%");
	check("nic set loss 150%", &r, 255, false,
	      "Error: argument \"150%\" is wrong: loss is from 0 to 100%.\n");
	RUN(&r, "nic", "set", "a", "flap", "0");
	check("nic set flap 0", &r, 255, true, "flap is from 1 to 60000 ms");
	RUN(&r, "nic", "show", "a", "b");
	check("nic show a b", &r, 255, true, "is garbage");
}

static void test_rule_cmds(void)
{
	struct run r;

	RUN(&r, "rule", "help");
	check("rule help", &r, 255, true,
	      "Usage: wbctl rule add HOOK [ MATCH ]... VERDICT [ index N ]\n");
	RUN(&r, "rule", "foo");
	check("rule foo", &r, 255, false,
	      "Command \"foo\" is unknown, try \"wbctl rule help\".\n");
	RUN(&r, "rule", "sh");
	check("rule sh (no prefix match)", &r, 255, true,
	      "Command \"sh\" is unknown");
	RUN(&r, "rul");
	check("wbctl rul (no prefix match)", &r, 1, true,
	      "Object \"rul\" is unknown");
	RUN(&r, "rule", "add", "help");
	check("rule add help", &r, 255, true, "wbctl rule restore [ FILE ]");
	RUN(&r, "rule", "del", "help");
	check("rule del help", &r, 255, true, "Usage: wbctl rule add");
	RUN(&r, "rule", "list", "help");
	check("rule list help", &r, 255, true, "Usage: wbctl rule add");
	RUN(&r, "rule", "flush", "help");
	check("rule flush help", &r, 255, true, "Usage: wbctl rule add");
	RUN(&r, "rule", "restore", "help");
	check("rule restore help", &r, 255, true, "Usage: wbctl rule add");
}

static void test_rule_args(void)
{
	struct run r;

	RUN(&r, "rule", "add");
	check("rule add", &r, 255, false,
	      "Error: HOOK is required, try \"wbctl rule help\".\n");
	RUN(&r, "rule", "add", "Input", "drop");
	check("rule add Input", &r, 255, false,
	      "Error: argument \"Input\" is wrong: HOOK is one of prerouting, input, forward, output, postrouting.\n");
	RUN(&r, "rule", "add", "input", "src", "10.0.0.1/24", "drop");
	check("rule add src with host bits", &r, 255, false,
	      "Error: argument \"10.0.0.1/24\" is wrong: prefix has host bits set, the network is 10.0.0.0/24.\n");
	RUN(&r, "rule", "add", "input", "src", "10.0.0.1", "dst", "::1",
	    "drop");
	check("rule add family mismatch", &r, 255, true,
	      "dst is IPv6 but src is IPv4");
	RUN(&r, "rule", "add", "input", "dport", "22", "drop");
	check("rule add dport without proto", &r, 255, false,
	      "Error: argument \"22\" is wrong: dport needs proto tcp, udp, sctp or udplite.\n");
	RUN(&r, "rule", "add", "input", "proto", "tcp", "dport", "9-8", "drop");
	check("rule add dport 9-8", &r, 255, true, "ends below its start");
	RUN(&r, "rule", "add", "input", "proto", "icmp", "icmp-code", "1",
	    "drop");
	check("rule add icmp-code without type", &r, 255, true,
	      "icmp-code needs icmp-type");
	RUN(&r, "rule", "add", "input", "iif", "a", "iif", "b", "drop");
	check("rule add iif twice", &r, 255, true, "duplicate \"iif\"");
	RUN(&r, "rule", "add", "input", "iif", "lo");
	check("rule add without verdict", &r, 255, false,
	      "Error: VERDICT is required, try \"wbctl rule help\".\n");
	RUN(&r, "rule", "add", "input", "drop", "accept");
	check("rule add two verdicts", &r, 255, true, "duplicate \"verdict\"");
	RUN(&r, "rule", "del", "input");
	check("rule del input", &r, 255, true, "rule ID is required");
	RUN(&r, "rule", "list", "forward", "x");
	check("rule list forward x", &r, 255, true, "\"x\" is garbage");
	RUN(&r, "rule", "flush", "INPUT");
	check("rule flush INPUT", &r, 255, true, "HOOK is one of");
	RUN(&r, "rule", "restore", "a", "b");
	check("rule restore a b", &r, 255, true, "\"b\" is garbage");
	RUN(&r, "rule", "restore", "/nonexistent/rules");
	check("rule restore nosuchfile", &r, 1, false,
	      "Error: cannot open \"/nonexistent/rules\": No such file or directory.\n");
}

/* A ruleset file with a bad second line: nothing is sent. */
static void test_rule_restore(void)
{
	char path[] = "/tmp/wbctl-test-XXXXXX", want[128];
	struct run r;
	FILE *fp;
	int fd;

	fd = mkstemp(path);
	fp = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!fp) {
		tap_ok(false, "temporary file");
		return;
	}
	fputs("policy input drop\ninput proto udp dport 53 accept extra\n",
	      fp);
	fclose(fp);
	RUN(&r, "rule", "restore", path);
	snprintf(want, sizeof(want),
		 "%s:2: Error: unknown keyword \"extra\", try \"wbctl rule help\".\n",
		 path);
	check("rule restore bad line 2", &r, 1, false, want);
	unlink(path);
}

static void test_nf_objects(void)
{
	struct run r;

	RUN(&r, "policy", "help");
	check("policy help", &r, 255, true,
	      "Usage: wbctl policy set HOOK { accept | drop }\n");
	RUN(&r, "policy", "set", "input", "reject");
	check("policy set input reject", &r, 255, false,
	      "Error: argument \"reject\" is wrong: policy is \"accept\" or \"drop\".\n");
	RUN(&r, "policy", "set", "input");
	check("policy set input", &r, 255, true, "is required");
	RUN(&r, "policy", "show", "x");
	check("policy show x", &r, 255, true, "\"x\" is garbage");
	RUN(&r, "policy", "foo");
	check("policy foo", &r, 255, true, "try \"wbctl policy help\"");
	RUN(&r, "stats", "help");
	check("stats help", &r, 255, true, "Usage: wbctl stats [ HOOK ]\n");
	RUN(&r, "stats", "foo");
	check("stats foo", &r, 255, true, "HOOK is one of");
	RUN(&r, "stats", "input", "x");
	check("stats input x", &r, 255, true, "\"x\" is garbage");
	RUN(&r, "trace", "help");
	check("trace help", &r, 255, true,
	      "Usage: wbctl trace on [ MATCH ]... [ rate N ]\n");
	RUN(&r, "trace", "on", "rate", "0");
	check("trace on rate 0", &r, 255, false,
	      "Error: argument \"0\" is wrong: rate is from 1 to 10000 packets per second, like 10 or 10/s.\n");
	RUN(&r, "trace", "on", "drop");
	check("trace on drop", &r, 255, true, "unknown keyword \"drop\"");
	RUN(&r, "trace", "off", "x");
	check("trace off x", &r, 255, true, "\"x\" is garbage");
	RUN(&r, "trace", "show", "help");
	check("trace show help", &r, 255, true, "Usage: wbctl trace on");
	RUN(&r, "trace", "of");
	check("trace of (no prefix match)", &r, 255, true,
	      "Command \"of\" is unknown, try \"wbctl trace help\"");
	RUN(&r, "monitor", "help");
	check("monitor help", &r, 255, false,
	      "Usage: wbctl monitor [ trace | ct ]\n       wbctl monitor help\n");
	RUN(&r, "monitor", "ct", "x");
	check("monitor ct x", &r, 255, true, "\"x\" is garbage");
	RUN(&r, "monitor", "ct", "help");
	check("monitor ct help", &r, 255, true, "Usage: wbctl monitor");
	RUN(&r, "monitor", "c");
	check("monitor c (no prefix match)", &r, 255, true,
	      "Command \"c\" is unknown, try \"wbctl monitor help\"");
	RUN(&r, "rule", "add", "input", "ct", "state", "new,old", "accept");
	check("rule add ct state new,old", &r, 255, false,
	      "Error: argument \"new,old\" is wrong: ct state is a list of new, established, related, invalid, untracked, like established,related.\n");
	RUN(&r, "rule", "add", "forward", "notrack");
	check("rule add forward notrack", &r, 255, false,
	      "Error: argument \"notrack\" is wrong: notrack is for the prerouting and output hooks only.\n");
	RUN(&r, "rule", "help");
	check("rule help: ct state, notrack", &r, 255, true,
	      "ct state CTSTATE[,CTSTATE]...\n");
	RUN(&r, "monitor", "x");
	check("monitor x", &r, 255, true,
	      "Command \"x\" is unknown, try \"wbctl monitor help\"");
	RUN(&r, "monitor", "trace", "x");
	check("monitor trace x", &r, 255, true, "\"x\" is garbage");
}

static void test_ct_cmds(void)
{
	struct run r;

	RUN(&r, "ct", "help");
	check("ct help", &r, 255, true,
	      "Usage: wbctl ct { list | show } [ FILTER ]...\n");
	RUN(&r, "ct", "foo");
	check("ct foo", &r, 255, false,
	      "Command \"foo\" is unknown, try \"wbctl ct help\".\n");
	RUN(&r, "ct", "li");
	check("ct li (no prefix match)", &r, 255, true,
	      "Command \"li\" is unknown");
	RUN(&r, "c");
	check("wbctl c (no prefix match)", &r, 1, true,
	      "Object \"c\" is unknown");
	RUN(&r, "ct", "list", "help");
	check("ct list help", &r, 255, true, "wbctl ct config set");
	RUN(&r, "ct", "get", "help");
	check("ct get help", &r, 255, true, "TUPLE := proto PROTO");
	RUN(&r, "ct", "del", "help");
	check("ct del help", &r, 255, true, "Usage: wbctl ct");
	RUN(&r, "ct", "flush", "help");
	check("ct flush help", &r, 255, true, "Usage: wbctl ct");
	RUN(&r, "ct", "count", "help");
	check("ct count help", &r, 255, true, "Usage: wbctl ct");
	RUN(&r, "ct", "stats", "help");
	check("ct stats help", &r, 255, true, "Usage: wbctl ct");
	RUN(&r, "ct", "config", "help");
	check("ct config help", &r, 255, true, "TIMEOUT := { tcp_syn_sent");
	RUN(&r, "ct", "config", "set", "help");
	check("ct config set help", &r, 255, true, "Usage: wbctl ct");
	RUN(&r, "ct", "config", "show", "help");
	check("ct config show help", &r, 255, true, "Usage: wbctl ct");
	RUN(&r, "ct", "config", "foo");
	check("ct config foo", &r, 255, false,
	      "Command \"foo\" is unknown, try \"wbctl ct help\".\n");
}

static void test_ct_args(void)
{
	struct run r;

	RUN(&r, "ct", "list", "family", "inet");
	check("ct list family inet", &r, 255, false,
	      "Error: argument \"inet\" is wrong: family is \"ipv4\" or \"ipv6\".\n");
	RUN(&r, "ct", "list", "state", "up");
	check("ct list state up", &r, 255, true, "state is a TCP state");
	RUN(&r, "ct", "flush", "src", "10.0.0.1", "dst", "::1");
	check("ct flush src/dst mismatch", &r, 255, false,
	      "Error: argument \"::1\" is wrong: dst is IPv6 but src is IPv4.\n");
	RUN(&r, "ct", "list", "sport", "1");
	check("ct list sport", &r, 255, false,
	      "Error: unknown keyword \"sport\", try \"wbctl ct help\".\n");
	RUN(&r, "ct", "get");
	check("ct get", &r, 255, false,
	      "Error: a TUPLE or id ID is required, try \"wbctl ct help\".\n");
	RUN(&r, "ct", "get", "proto", "tcp", "src", "10.0.0.1", "dst",
	    "10.0.0.2", "sport", "1", "dport", "65536");
	check("ct get dport 65536", &r, 255, false,
	      "Error: argument \"65536\" is wrong: dport is a number from 0 to 65535.\n");
	RUN(&r, "ct", "delete", "id", "x");
	check("ct delete id x", &r, 255, true, "id is an entry's id");
	RUN(&r, "ct", "del", "id", "1", "src", "10.0.0.1");
	check("ct del id and a tuple", &r, 255, true,
	      "either \"id\" or a TUPLE, not both");
	RUN(&r, "ct", "count", "x");
	check("ct count x", &r, 255, true, "\"x\" is garbage");
	RUN(&r, "ct", "config", "set", "tcp_established", "0");
	check("ct config set timeout 0", &r, 255, false,
	      "Error: argument \"0\" is wrong: tcp_established is from 1 to 2592000 seconds.\n");
	RUN(&r, "ct", "config", "set", "max", "4194305");
	check("ct config set max too big", &r, 255, false,
	      "Error: argument \"4194305\" is wrong: max is from 1 to 4194304 entries.\n");
	RUN(&r, "ct", "config", "set", "hashsize", "1024");
	check("ct config set hashsize", &r, 255, true, "read-only");
	RUN(&r, "ct", "config", "show", "x");
	check("ct config show x", &r, 255, true, "\"x\" is garbage");
}

void test_cli(const char *wbctl)
{
	wbctl_path = wbctl;
	if (access(wbctl, X_OK)) {
		tap_ok(false, "%s is executable", wbctl);
		return;
	}
	tap_case("cli: top");
	test_top();
	tap_case("cli: netns");
	test_netns();
	tap_case("cli: pair_cmds");
	test_pair_cmds();
	tap_case("cli: pair_add");
	test_pair_add();
	tap_case("cli: pair_del_show");
	test_pair_del_show();
	tap_case("cli: nic_cmds");
	test_nic_cmds();
	tap_case("cli: nic_args");
	test_nic_args();
	tap_case("cli: rule_cmds");
	test_rule_cmds();
	tap_case("cli: rule_args");
	test_rule_args();
	tap_case("cli: rule_restore");
	test_rule_restore();
	tap_case("cli: nf_objects");
	test_nf_objects();
	tap_case("cli: ct_cmds");
	test_ct_cmds();
	tap_case("cli: ct_args");
	test_ct_args();
}
