/*
 * verdict.c — the persist module's judgement of a command or script line:
 * the patterns attackers leave in autostart places (download and run,
 * decode and run, reverse shells, raw IP addresses, programs run from
 * temporary or hidden paths, library preloading). Pure text functions, so
 * that unit tests and the fuzz target feed them directly.
 */
#include "core/i18n.h"
#include "core/digest.h"
#include "core/util.h"
#include "persist/persist.h"

#include <ctype.h>
#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rs_verdict_init(rs_verdict *v)
{
	memset(v, 0, sizeof(*v));
}

void rs_verdict_add(rs_verdict *v, rs_severity sev, const char *reason)
{
	if (!v->any || sev > v->severity)
		v->severity = sev;
	v->any = true;
	v->hits++;
	if (strstr(v->reasons, reason))
		return;
	size_t used = strlen(v->reasons);
	snprintf(v->reasons + used, sizeof(v->reasons) - used, "%s%s", used ? "; " : "", reason);
}

void rs_verdict_note_line(rs_verdict *v, size_t number, const char *raw, size_t len)
{
	for (size_t i = 0; i < v->n_lines; i++)
		if (v->lines[i].number == number)
			return;
	if (v->n_lines >= RS_VERDICT_LINES)
		return;
	v->lines[v->n_lines].number = number;
	rs_sha256_hex(raw, len, v->lines[v->n_lines].sha256);
	v->n_lines++;
}

void rs_persist_note_file_line(const rs_host *host, const char *path, size_t number, rs_verdict *v)
{
	char *text;
	size_t len;
	if (number == 0 || rs_host_read(host, path, 1u << 20, &text, &len) < 0)
		return;
	const char *s = text, *end = text + len;
	for (size_t n = 1; s <= end; n++) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t k = nl ? (size_t)(nl - s) : (size_t)(end - s);
		if (n == number) {
			if (nl || k)
				rs_verdict_note_line(v, number, s, k);
			break;
		}
		if (!nl)
			break;
		s = nl + 1;
	}
	free(text);
}

/* The patterns, compiled once. */
enum { P_DOWNLOAD_PIPE, P_DOWNLOAD_SUBST, P_DECODE, P_DECODE_RUN, P_DEV_TCP, P_NC_EXEC,
       P_SOCAT_EXEC, P_BASH_I, P_SCRIPT_SOCKET, P_LD_PRELOAD, P_INLINE_CODE, P_SHELL_C, P_NETWORK,
       P_COUNT };

static const char *const pattern_text[P_COUNT] = {
	[P_DOWNLOAD_PIPE] = "(curl|wget|fetch)[^|;&]*\\|[[:space:]]*(sudo[[:space:]]+)?"
			    "(/usr)?(/bin/)?((ba|da|z|k|c)?sh|python[0-9.]*|perl)([^a-z0-9_.]|$)",
	[P_DOWNLOAD_SUBST] = "(\\$\\(|`)[[:space:]]*(curl|wget)[[:space:]]",
	[P_DECODE] = "base64[[:space:]]+(-[a-z]*d|--decode)|xxd[[:space:]]+-r|b64decode",
	[P_DECODE_RUN] = "\\|[[:space:]]*(sudo[[:space:]]+)?(/usr)?(/bin/)?((ba|da|z|k)?sh|python[0-9.]*|perl)"
			 "([^a-z0-9_.]|$)|eval|exec\\(",
	[P_DEV_TCP] = "/dev/(tcp|udp)/",
	[P_NC_EXEC] = "(^|[^a-z])(nc|ncat|netcat)[[:space:]].*-[a-z]*[ec][[:space:]]",
	[P_SOCAT_EXEC] = "socat[[:space:]].*(exec|system):",
	[P_BASH_I] = "(ba)?sh[[:space:]]+-i[[:space:]]*[>&<]",
	[P_SCRIPT_SOCKET] = "import[[:space:]]+(socket|pty)|use[[:space:]]+Socket|fsockopen|TCPSocket\\.(new|open)",
	[P_LD_PRELOAD] = "LD_PRELOAD[[:space:]]*=",
	/* an interpreter given its program on the command line */
	[P_INLINE_CODE] = "(^|[/[:space:]'\"])(python[0-9.]*|perl[0-9.]*|ruby[0-9.]*|php[0-9.]*|node|nodejs|"
			  "lua[0-9.]*|pwsh)[[:space:]]+(-[a-z]*[ce]|-r|-E|--eval|-command)[[:space:]]",
	[P_SHELL_C] = "(^|[/[:space:]'\"])(ba|da|z|k|c)?sh[[:space:]]+-[a-z]*c[[:space:]]",
	/* what reaches the network from a command line or inline code */
	[P_NETWORK] = "(^|[^a-z])(curl|wget|nc|ncat|netcat|socat|telnet|ssh|scp)[[:space:]]|/dev/(tcp|udp)/|"
		      "[a-z]+://|socket|urllib|requests\\.|http\\.client|LWP|IO::Socket|Net::|fsockopen|"
		      "net\\.connect|child_process|Invoke-WebRequest|DownloadString",
};

static regex_t patterns[P_COUNT];
static regex_t ip_pattern;
static bool patterns_ok;
static pthread_once_t patterns_once = PTHREAD_ONCE_INIT;

static void compile_patterns(void)
{
	patterns_ok = true;
	for (int i = 0; i < P_COUNT; i++)
		if (regcomp(&patterns[i], pattern_text[i], REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0)
			patterns_ok = false;
	if (regcomp(&ip_pattern, "(^|[^0-9.])(([0-9]{1,3}\\.){3}[0-9]{1,3})([^0-9.]|$)", REG_EXTENDED) != 0)
		patterns_ok = false;
}

static bool matches(int which, const char *text)
{
	return regexec(&patterns[which], text, 0, NULL, 0) == 0;
}

/* A dotted quad that is not loopback, unspecified or a broadcast mask. */
static bool has_raw_ip(const char *text)
{
	const char *s = text;
	regmatch_t m[3];
	while (*s && regexec(&ip_pattern, s, 3, m, s == text ? 0 : REG_NOTBOL) == 0) {
		char ip[16];
		size_t n = (size_t)(m[2].rm_eo - m[2].rm_so);
		if (n < sizeof(ip)) {
			memcpy(ip, s + m[2].rm_so, n);
			ip[n] = '\0';
			int a, b, c, d;
			bool valid = sscanf(ip, "%d.%d.%d.%d", &a, &b, &c, &d) == 4 && a <= 255 &&
				     b <= 255 && c <= 255 && d <= 255;
			if (valid && a != 127 && a != 0 && a != 255 && !(a == 169 && b == 254))
				return true;
		}
		s += m[2].rm_eo;
	}
	return false;
}

static bool temp_path(const char *tok)
{
	return rs_starts_with(tok, "/tmp/") || rs_starts_with(tok, "/var/tmp/") ||
	       rs_starts_with(tok, "/dev/shm/");
}

/* A path with a component starting with a dot (not "." or ".."). */
static bool hidden_path(const char *tok)
{
	if (tok[0] != '/' && !rs_starts_with(tok, "~/"))
		return false;
	for (const char *s = strstr(tok, "/."); s; s = strstr(s + 1, "/."))
		if (s[2] && s[2] != '/' && !(s[2] == '.' && (s[3] == '/' || s[3] == '\0')))
			return true;
	return false;
}

/* Words after which the next word is still the program run. */
static bool launcher(const char *tok)
{
	static const char *const words[] = { "sudo", "nohup", "exec", "setsid", "env", "sh", "bash",
					      "dash", "zsh", "nice", "ionice", "chrt", "taskset",
					      "python", "python3", "perl", "su", "runuser", "start-stop-daemon",
					      "then", "do", "else", "!", "-c", "-x", "--exec", "--startas" };
	const char *base = strrchr(tok, '/');
	base = base ? base + 1 : tok;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(base, words[i]) == 0 || strcmp(tok, words[i]) == 0)
			return true;
	return tok[0] == '-' || strchr(tok, '=') != NULL; /* options, VAR=value */
}

/* Programs the text runs from temporary or hidden places. */
static void judge_programs(const char *text, rs_verdict *v)
{
	bool command_position = true, value_next = false;
	const char *s = text;
	while (*s) {
		if (strchr(";|&()`{}\n", *s)) {
			command_position = true;
			value_next = false;
			s++;
			continue;
		}
		if (isspace((unsigned char)*s) || *s == '"' || *s == '\'') {
			s++;
			continue;
		}
		size_t n = strcspn(s, " \t\r\n;|&()`'\"{}");
		char tok[512];
		if (n >= sizeof(tok))
			n = sizeof(tok) - 1;
		memcpy(tok, s, n);
		tok[n] = '\0';
		s += strcspn(s, " \t\r\n;|&()`'\"{}");
		if (value_next) { /* the quoted value of VAR="..." */
			value_next = false;
			continue;
		}
		if (!command_position)
			continue;
		if (n > 0 && tok[n - 1] == '=') {
			value_next = true;
			continue;
		}
		if (temp_path(tok)) {
			rs_verdict_add(v, RS_SEV_HIGH, _("runs a program from a temporary directory"));
		} else if (hidden_path(tok)) {
			rs_verdict_add(v, RS_SEV_MEDIUM, _("runs a program from a hidden path"));
		}
		command_position = launcher(tok);
	}
}

void rs_persist_judge_command(const char *text, rs_verdict *v)
{
	pthread_once(&patterns_once, compile_patterns);
	if (!text || !*text || !patterns_ok)
		return;
	if (matches(P_DOWNLOAD_PIPE, text) || matches(P_DOWNLOAD_SUBST, text))
		rs_verdict_add(v, RS_SEV_HIGH, _("downloads and runs code"));
	if (matches(P_DECODE, text))
		rs_verdict_add(v, matches(P_DECODE_RUN, text) ? RS_SEV_HIGH : RS_SEV_MEDIUM,
			       matches(P_DECODE_RUN, text) ? _("decodes and runs hidden code") : _("decodes hidden content"));
	if (matches(P_DEV_TCP, text) || matches(P_NC_EXEC, text) || matches(P_SOCAT_EXEC, text) ||
	    matches(P_BASH_I, text) || matches(P_SCRIPT_SOCKET, text))
		rs_verdict_add(v, RS_SEV_HIGH, _("opens a reverse shell or raw socket"));
	if (matches(P_LD_PRELOAD, text)) {
		rs_verdict_add(v, RS_SEV_HIGH, _("preloads a library (LD_PRELOAD)"));
		snprintf(v->extra_attack, sizeof(v->extra_attack), "T1574.006");
	}
	if (has_raw_ip(text))
		rs_verdict_add(v, RS_SEV_MEDIUM, _("reaches a raw IP address"));
	bool network = matches(P_NETWORK, text);
	if (matches(P_INLINE_CODE, text))
		rs_verdict_add(v, network ? RS_SEV_HIGH : RS_SEV_MEDIUM,
			       network ? _("runs inline interpreter code that uses the network")
				       : _("runs inline interpreter code (python -c, perl -e, ...)"));
	else if (network && matches(P_SHELL_C, text))
		rs_verdict_add(v, RS_SEV_MEDIUM, _("runs a shell command line that reaches the network"));
	judge_programs(text, v);
}

size_t rs_persist_judge_script(const char *text, size_t len, rs_verdict *v)
{
	size_t first = 0, number = 0;
	const char *s = text, *end = text + len;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		number++;
		char line[4096];
		size_t k = n < sizeof(line) - 1 ? n : sizeof(line) - 1;
		memcpy(line, s, k);
		line[k] = '\0';
		for (size_t i = 0; i < k; i++)
			if (line[i] == '\0' || line[i] == '\r')
				line[i] = ' ';
		char *t = rs_trim(line);
		if (*t && *t != '#') {
			rs_verdict before = *v;
			rs_persist_judge_command(t, v);
			if (!first && strcmp(before.reasons, v->reasons) != 0)
				first = number;
			if (v->hits != before.hits)
				rs_verdict_note_line(v, number, s, n);
		}
		s += n + 1;
	}
	return first;
}

static bool word_is(const char *s, const char *word)
{
	size_t n = strlen(word);
	return strncmp(s, word, n) == 0 && (s[n] == '\0' || isspace((unsigned char)s[n]) || s[n] == '=');
}

void rs_persist_judge_sudoers_line(const char *line, rs_verdict *v)
{
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s", line);
	char *t = rs_trim(buf);
	if (!*t || *t == '#')
		return;
	if (word_is(t, "Defaults") || rs_starts_with(t, "Defaults:") || rs_starts_with(t, "Defaults>")) {
		if (strstr(t, "!authenticate"))
			rs_verdict_add(v, RS_SEV_HIGH, _("turns off sudo authentication (!authenticate)"));
		return;
	}
	if (word_is(t, "User_Alias") || word_is(t, "Runas_Alias") || word_is(t, "Host_Alias") ||
	    word_is(t, "Cmnd_Alias") || word_is(t, "Cmd_Alias") || word_is(t, "@include") ||
	    word_is(t, "@includedir") || word_is(t, "#include") || word_is(t, "#includedir"))
		return;
	char who[128];
	size_t n = strcspn(t, " \t");
	snprintf(who, sizeof(who), "%.*s", (int)(n < sizeof(who) ? n : sizeof(who) - 1), t);
	char *eq = strchr(t, '=');
	if (!eq)
		return;
	bool nopasswd = strstr(eq, "NOPASSWD") != NULL;
	/* the command list: what follows the last tag or the runas spec */
	const char *cmds = strrchr(eq, ':');
	const char *paren = strrchr(eq, ')');
	if (!cmds || (paren && paren > cmds))
		cmds = paren ? paren + 1 : eq + 1;
	else
		cmds++;
	while (isspace((unsigned char)*cmds))
		cmds++;
	bool all = word_is(cmds, "ALL");
	if (strcmp(who, "ALL") == 0 && all)
		rs_verdict_add(v, RS_SEV_HIGH, nopasswd ? _("every user may run anything as root without a password")
							: _("every user may run anything as root"));
	else if (nopasswd && all && strcmp(who, "root") != 0)
		rs_verdict_add(v, RS_SEV_MEDIUM, _("grants root without a password for every command"));
	rs_persist_judge_command(cmds, v);
}

void rs_persist_judge_pam_line(const char *line, char *module, size_t size, rs_verdict *v)
{
	module[0] = '\0';
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s", line);
	char *t = rs_trim(buf);
	if (!*t || *t == '#' || *t == '@')
		return;
	char *fields[16];
	size_t n = 0;
	char *save = NULL;
	for (char *tok = strtok_r(t, " \t", &save); tok && n < 16; tok = strtok_r(NULL, " \t", &save))
		fields[n++] = tok;
	if (n < 3)
		return;
	size_t i = 1;
	const char *control = fields[1];
	if (fields[1][0] == '[') { /* [value=action ...] spans fields */
		while (i < n && !strchr(fields[i], ']'))
			i++;
	}
	i++;
	if (i >= n)
		return;
	const char *type = fields[0][0] == '-' ? fields[0] + 1 : fields[0];
	snprintf(module, size, "%s", fields[i]);
	const char *base = strrchr(module, '/');
	base = base ? base + 1 : module;
	if (module[0] == '/' && !rs_starts_with(module, "/lib/") && !rs_starts_with(module, "/usr/lib/") &&
	    !rs_starts_with(module, "/lib64/") && !rs_starts_with(module, "/usr/lib64/"))
		rs_verdict_add(v, RS_SEV_HIGH, _("loads a PAM module from outside the system library directories"));
	if (strcmp(base, "pam_permit.so") == 0 && strcmp(type, "auth") == 0 &&
	    strcmp(control, "sufficient") == 0)
		rs_verdict_add(v, RS_SEV_HIGH, _("lets anyone authenticate (auth sufficient pam_permit.so)"));
	if (strcmp(base, "pam_exec.so") == 0) {
		char args[768] = "";
		for (size_t k = i + 1; k < n; k++) {
			size_t used = strlen(args);
			snprintf(args + used, sizeof(args) - used, "%s%s", used ? " " : "", fields[k]);
		}
		rs_verdict_add(v, strstr(args, "expose_authtok") ? RS_SEV_HIGH : RS_SEV_LOW,
			       strstr(args, "expose_authtok") ? _("hands passwords to a program (pam_exec expose_authtok)")
							      : _("runs a program at login (pam_exec)"));
		rs_persist_judge_command(args, v);
	}
}

bool rs_persist_judge_authorized_key(const char *line, rs_verdict *v)
{
	while (isspace((unsigned char)*line))
		line++;
	if (!*line || *line == '#')
		return false;
	/* options come first unless the line starts with the key type */
	if (rs_starts_with(line, "ssh-") || rs_starts_with(line, "ecdsa-") || rs_starts_with(line, "sk-"))
		return true;
	const char *cmd = strstr(line, "command=\"");
	if (cmd) {
		char forced[1024];
		cmd += strlen("command=\"");
		size_t n = 0;
		while (cmd[n] && cmd[n] != '"' && n < sizeof(forced) - 1) {
			if (cmd[n] == '\\' && cmd[n + 1])
				n++;
			n++;
		}
		snprintf(forced, sizeof(forced), "%.*s", (int)n, cmd);
		rs_verdict before = *v;
		rs_persist_judge_command(forced, v);
		if (strcmp(before.reasons, v->reasons) == 0)
			rs_verdict_add(v, RS_SEV_INFO, _("forces a command for this key"));
	}
	if (strstr(line, "environment=\"LD_PRELOAD")) {
		rs_verdict_add(v, RS_SEV_HIGH, _("preloads a library for this key's sessions"));
		snprintf(v->extra_attack, sizeof(v->extra_attack), "T1574.006");
	}
	return true;
}
