// SPDX-License-Identifier: GPL-2.0
/*
 * wbctl: what the "wbnf" objects share: names of hooks and verdicts,
 * addresses, common arguments, messages and the socket.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "genl.h"
#include "nf.h"
#include "utils.h"

/* ---- names ---- */

/* enum nf_inet_hooks */
static const char * const nf_hooks[WBNF_HOOKS] = {
	"prerouting", "input", "forward", "output", "postrouting",
};

static const char * const nf_verdicts[] = {
	[WBNF_VERDICT_ACCEPT]	= "accept",
	[WBNF_VERDICT_DROP]	= "drop",
	[WBNF_VERDICT_REJECT]	= "reject",
	[WBNF_VERDICT_LOG]	= "log",
	[WBNF_VERDICT_NOTRACK]	= "notrack",
};

_Static_assert(ARRAY_SIZE(nf_verdicts) == WBNF_VERDICT_MAX + 1,
	       "a name for each verdict");

/* WBNF_CT_STATE_* bit n */
static const char * const nf_ct_states[] = {
	"new", "established", "related", "invalid", "untracked",
};

_Static_assert((1U << ARRAY_SIZE(nf_ct_states)) - 1 == WBNF_CT_STATE_ALL,
	       "a name for each conntrack state");

/* Index of str in names[], or -1. */
static int nf_lookup(const char * const *names, size_t n, const char *str)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], str))
			return i;
	return -1;
}

const char *nf_hook_name(uint64_t hook)
{
	return hook < WBNF_HOOKS ? nf_hooks[hook] : "unknown";
}

const char *nf_verdict_name(uint64_t verdict)
{
	return verdict <= WBNF_VERDICT_MAX ? nf_verdicts[verdict] : "unknown";
}

const char *nf_family_name(uint64_t family)
{
	if (family == AF_INET)
		return "ipv4";
	return family == AF_INET6 ? "ipv6" : "unknown";
}

/* The name of WBNF_CT_STATE_* bit n: "new", ..., NULL if none. */
const char *nf_ct_state_name(unsigned int bit)
{
	return bit < ARRAY_SIZE(nf_ct_states) ? nf_ct_states[bit] : NULL;
}

/*
 * "established,related": the names of the known bits of mask, in bit
 * order; NF_CT_STATESTRLEN bytes are enough.
 */
const char *nf_format_ct_states(char *buf, size_t size, uint64_t mask)
{
	size_t i, len = 0;

	buf[0] = 0;
	for (i = 0; i < ARRAY_SIZE(nf_ct_states); i++) {
		if (!((mask >> i) & 1) || len >= size)
			continue;
		len += snprintf(buf + len, size - len, "%s%s", len ? "," : "",
				nf_ct_states[i]);
	}
	return buf;
}

/* "STATE[,STATE]...", each a name of nf_ct_states[]: 0 or -EINVAL. */
int nf_parse_ct_states(const char *str, uint32_t *mask)
{
	const char *end;
	char word[16];
	uint32_t m = 0;
	size_t len;
	int i;

	do {
		end = strchrnul(str, ',');
		len = end - str;
		if (!len || len >= sizeof(word))
			return -EINVAL;
		memcpy(word, str, len);
		word[len] = 0;
		i = nf_lookup(nf_ct_states, ARRAY_SIZE(nf_ct_states), word);
		if (i < 0)
			return -EINVAL;
		m |= 1U << i;
		str = end + 1;
	} while (*end);
	*mask = m;
	return 0;
}

int nf_parse_hook(const char *str, uint32_t *hook)
{
	int i = nf_lookup(nf_hooks, ARRAY_SIZE(nf_hooks), str);

	if (i < 0)
		return -EINVAL;
	*hook = i;
	return 0;
}

int nf_parse_verdict(const char *str, uint32_t *verdict)
{
	int i = nf_lookup(nf_verdicts, ARRAY_SIZE(nf_verdicts), str);

	if (i < 0)
		return -EINVAL;
	*verdict = i;
	return 0;
}

/* str in capitals, as trace lines spell hooks and verdicts. */
const char *nf_upper(char *buf, size_t size, const char *str)
{
	size_t i;

	for (i = 0; str[i] && i + 1 < size; i++)
		buf[i] = str[i] >= 'a' && str[i] <= 'z' ? str[i] - 32 : str[i];
	buf[i] = 0;
	return buf;
}

/* Bytes of an address of the family: 4, or 16 for AF_INET6. */
int nf_addr_len(uint64_t family)
{
	return family == AF_INET6 ? 16 : 4;
}

/* "ADDR", or "ADDR/LEN" when len >= 0; NF_ADDRSTRLEN bytes are enough. */
void nf_format_addr(char *buf, size_t size, uint64_t family,
		    const uint8_t *addr, int len)
{
	int af = family == AF_INET6 ? AF_INET6 : AF_INET;

	if (!inet_ntop(af, addr, buf, size))
		snprintf(buf, size, "?");
	if (len >= 0)
		snprintf(buf + strlen(buf), size - strlen(buf), "/%d", len);
}

/*
 * An address attribute into addr: 4 bytes for AF_INET, 16 for AF_INET6;
 * *family, when 0, comes from the length.  Returns false, addr untouched,
 * for an address that does not fit the family.
 */
bool nf_get_addr(const struct nlattr *attr, uint64_t *family, uint8_t *addr)
{
	int len = mnl_attr_get_payload_len(attr);

	if (!*family && (len == 4 || len == 16))
		*family = len == 4 ? AF_INET : AF_INET6;
	if ((*family != AF_INET && *family != AF_INET6) ||
	    len != nf_addr_len(*family))
		return false;
	memcpy(addr, mnl_attr_get_payload(attr), len);
	return true;
}

/* ---- arguments ---- */

int nf_need(const char *what, const char *help)
{
	wb_err("Error: %s is required, try \"%s\".", what, help);
	return WB_EXIT_USAGE;
}

int nf_unknown(const char *word, const char *help)
{
	wb_err("Error: unknown keyword \"%s\", try \"%s\".", word, help);
	return WB_EXIT_USAGE;
}

int nf_hook_arg(const char *str, uint32_t *hook)
{
	if (!nf_parse_hook(str, hook))
		return 0;
	return wb_invarg(str, "HOOK is one of prerouting, input, forward, output, postrouting");
}

/* [ HOOK ]: list, flush, stats.  Returns 0 or an exit status. */
int nf_parse_hook_opt(int argc, char **argv, int (*usage)(void),
		      bool *has_hook, uint32_t *hook)
{
	int i;

	*has_hook = false;
	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], "help"))
			return usage();
	if (argc > 1)
		return wb_garbage(argv[0], argv[1]);
	if (argc && nf_hook_arg(argv[0], hook))
		return WB_EXIT_USAGE;
	*has_hook = argc;
	return 0;
}

/* A command without arguments: none, or help.  0 or an exit status. */
int nf_no_args(int argc, char **argv, const char *cmd, int (*usage)(void))
{
	if (!argc)
		return 0;
	return strcmp(*argv, "help") ? wb_garbage(cmd, *argv) : usage();
}

/* ---- messages ---- */

/* Start a request of the family, see genl_msg(). */
struct nlmsghdr *nf_msg(void *buf, uint16_t family, uint8_t cmd,
			uint16_t flags)
{
	return genl_msg(buf, family, cmd, WBNF_GENL_VERSION, flags);
}

/* What a reply or event may hold at the top level. */
static const enum mnl_attr_data_type nf_attr_types[WBNF_A_MAX + 1] = {
	[WBNF_A_HOOK]		= MNL_TYPE_U32,
	[WBNF_A_RULE]		= MNL_TYPE_NESTED,
	[WBNF_A_RULE_ID]	= MNL_TYPE_U32,
	[WBNF_A_POLICY]		= MNL_TYPE_U32,
	[WBNF_A_FAMILY]		= MNL_TYPE_U8,
	[WBNF_A_PACKETS]	= MNL_TYPE_U64,
	[WBNF_A_BYTES]		= MNL_TYPE_U64,
	[WBNF_A_DROPPED]	= MNL_TYPE_U64,
	[WBNF_A_RULES]		= MNL_TYPE_U32,
	[WBNF_A_RULES_INDEXED]	= MNL_TYPE_U32,
	[WBNF_A_TRACE_ON]	= MNL_TYPE_U8,
	[WBNF_A_TRACE_MATCH]	= MNL_TYPE_NESTED,
	[WBNF_A_TRACE_RATE]	= MNL_TYPE_U32,
	[WBNF_A_TRACE]		= MNL_TYPE_NESTED,
	[WBNF_A_POLICY_PACKETS]	= MNL_TYPE_U64,
	[WBNF_A_CT]		= MNL_TYPE_NESTED,
	[WBNF_A_CT_TUPLE]	= MNL_TYPE_NESTED,
	[WBNF_A_CT_ID]		= MNL_TYPE_U32,
	[WBNF_A_CT_FILTER]	= MNL_TYPE_NESTED,
	[WBNF_A_CT_EVENT]	= MNL_TYPE_U32,
	[WBNF_A_CT_STATS]	= MNL_TYPE_NESTED,
	[WBNF_A_CT_CONFIG]	= MNL_TYPE_NESTED,
};

/*
 * genl_msg_tb() of a message of the family; with has, also its integer
 * attributes, see genl_tb_values().  Returns 0 or -EBADMSG.
 */
int nf_msg_tb(const struct nlmsghdr *nlh, uint16_t family,
	      const struct nlattr **tb, uint64_t *has, uint64_t *v)
{
	if (genl_msg_tb(nlh, family, nf_attr_types, WBNF_A_MAX, tb))
		return -EBADMSG;
	if (has)
		*has = genl_tb_values(tb, nf_attr_types, WBNF_A_MAX, v);
	return 0;
}

/* ---- the socket ---- */

/* genl_connect() to "wbnf"; returns 0 or an exit status. */
int nf_connect(struct nl_sock *nl, uint16_t *family)
{
	return genl_connect(nl, WBNF_GENL_NAME, NF_MODULE, family);
}
