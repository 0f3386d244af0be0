/*
 * test_persist_history.c — the persist module's judge of shell start-up
 * lines that turn shell history off (T1070.003): what attackers write is
 * caught at medium, what admins and distributions write (a history size,
 * HISTCONTROL, comments, the words inside an echo or an alias) is not, and
 * malformed text (unterminated quotes, huge words, NUL-free junk) is judged
 * without a crash.
 */
#include "testutil.h"
#include "persist/persist.h"

#include <stdlib.h>
#include <string.h>

static void assert_off(const char *line)
{
	rs_verdict v;
	rs_verdict_init(&v);
	rs_persist_judge_history_line(line, &v);
	if (!v.any || v.severity != RS_SEV_MEDIUM)
		fail_msg("%s: not judged as turning history off (any %d)", line, v.any);
}

static void assert_kept(const char *line)
{
	rs_verdict v;
	rs_verdict_init(&v);
	rs_persist_judge_history_line(line, &v);
	if (v.any)
		fail_msg("%s: judged as turning history off: %s", line, v.reasons);
}

static void test_history_off(void **state)
{
	(void)state;
	assert_off("HISTFILE=/dev/null");
	assert_off("export HISTFILE=/dev/null");
	assert_off("export HISTFILE=\"/dev/null\"");
	assert_off("  export 'HISTFILE=/dev/null'");
	assert_off("declare -x HISTFILE='/dev/null'");
	assert_off("HISTFILE=");
	assert_off("unset HISTFILE");
	assert_off("unset -v HISTSIZE HISTFILE");
	assert_off("[ -n \"$PS1\" ] && unset HISTFILE");
	assert_off("if true; then unset HISTFILE; fi");
	assert_off("HISTSIZE=0");
	assert_off("export HISTFILESIZE=0");
	assert_off("HISTSIZE=\"0\" HISTFILESIZE=0");
	assert_off("SAVEHIST=0");
	assert_off("set +o history");
	assert_off("history -c");
	assert_off("history -cw");
	assert_off("cd; history -c # tidy");
	assert_off("ln -sf /dev/null ~/.bash_history");
	assert_off("ln -s /dev/null \"$HOME/.zsh_history\"");
	assert_off("rm -f ~/.bash_history");
	assert_off("shred -u $HISTFILE");
	assert_off("cat /dev/null > ~/.bash_history");
	assert_off(">/root/.ash_history");
	assert_off("set history=0");
	assert_off("set savehist = 0");
	assert_off("unset savehist");
}

static void test_history_kept(void **state)
{
	(void)state;
	assert_kept("# unset HISTFILE");
	assert_kept("   # export HISTFILE=/dev/null");
	assert_kept("HISTSIZE=1000");
	assert_kept("HISTFILESIZE=2000");
	assert_kept("HISTSIZE=10");
	assert_kept("HISTCONTROL=ignorespace");
	assert_kept("HISTCONTROL=ignoreboth");
	assert_kept("export HISTFILE=\"$HOME/.bash_history\"");
	assert_kept("HISTFILE=~/.histfile");
	assert_kept("MYHISTFILE=/dev/null");
	assert_kept("HISTFILE_OLD=/dev/null");
	assert_kept("echo history -c");
	assert_kept("echo 'unset HISTFILE'");
	assert_kept("alias hc='history -c'");
	assert_kept("unset HISTSIZE");
	assert_kept("set -o history");
	assert_kept("shopt -s histappend");
	assert_kept("history 10");
	assert_kept("PROMPT_COMMAND='history -a'");
	assert_kept("HISTSIZE=1000 # not 0, not unset HISTFILE");
	assert_kept("ln -s ~/.bash_history ~/hist.txt");
	assert_kept("rm -f ~/.lesshst");
	assert_kept("cat ~/.bash_history >> ~/all_history");
	assert_kept("history -a >> ~/.bash_history");
	assert_kept("cmd 2>/dev/null");
	assert_kept("set history=2000");
	assert_kept("set savehist=(1000 merge)");
	assert_kept("set history = 100");
	assert_kept("unset savehist_old");
	assert_kept("");
	assert_kept(NULL);
}

static void test_history_junk(void **state)
{
	(void)state;
	rs_verdict v;
	rs_verdict_init(&v);
	rs_persist_judge_history_line("export \"HISTFILE=/dev/null", &v); /* unterminated quote */
	assert_true(v.any);
	rs_verdict_init(&v);
	rs_persist_judge_history_line(";;;&&||((``{}}'\"", &v);
	assert_false(v.any);
	/* words longer than the word buffer, more words than a command keeps */
	size_t n = 20000;
	char *junk = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		junk[i] = "ab ='\"=HISTFILE=0 "[i % 18];
	junk[n] = '\0';
	rs_verdict_init(&v);
	rs_persist_judge_history_line(junk, &v);
	/* a huge first word: `unset` after it is an argument, after a ';' a command */
	memset(junk, 'x', n);
	memcpy(junk + n - 15, " unset HISTFILE", 15);
	rs_verdict_init(&v);
	rs_persist_judge_history_line(junk, &v);
	bool argument = v.any;
	junk[n - 15] = ';';
	rs_verdict_init(&v);
	rs_persist_judge_history_line(junk, &v);
	free(junk);
	assert_false(argument);
	assert_true(v.any);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_history_off),
		cmocka_unit_test(test_history_kept),
		cmocka_unit_test(test_history_junk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
