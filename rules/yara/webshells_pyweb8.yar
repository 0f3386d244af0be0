/*
 * webshells_pyweb8.yar — Python webshell techniques, twelfth set (issue 15).
 * Generic forms, one rule per technique, written from the tuning part of
 * the corpus (eleventh batch) where the earlier rules missed a file, and
 * widened only to the same technique's other spellings already read by the
 * earlier rules (their framework, socket-receive and shell-name lists):
 *  - a browser terminal whose shell is not behind the pty module: a
 *    WebSocket or Socket.IO handler that starts a shell (or an ssh login to
 *    the host) through winpty/ptyprocess PtyProcess.spawn, pexpect, Tornado's
 *    process.Subprocess or a subprocess with a pipe, and writes what each
 *    message says into it (`async for msg in ws: proc.write(msg)`,
 *    `on_message` → `self.stdin.write_to_fd(...)`); RASOAT_Python_WebSocket_
 *    Terminal (webshells_pynode.yar) reads only subprocess/pty spawns fed by
 *    `.stdin.write(` after an explicit receive call;
 *  - a request value handed to a helper of the same file that runs its
 *    parameter (`cmd = self.get_argument('cmd')` … `out = shell(cmd)` with
 *    `def shell(cmd): … Popen(cmd, …)`), where no single line holds both;
 *  - request data written into a shell script the route then runs with a
 *    shell (`open('x.sh', 'a').write(...)` then `['bash', 'x.sh']`);
 *  - Python 2's exec statement (`exec code`, no parentheses) in a web view
 *    that reads the request, which the exec(...) rules cannot see.
 * Each rule has an inert sample under tests/fixtures/webshell/python/ and
 * a clean look-alike under tests/fixtures/webshell/clean/.
 */

rule RASOAT_Python_WebSocket_Process_Terminal
{
	meta:
		description = "Python: a WebSocket or Socket.IO handler that starts a shell (sh/bash/cmd/powershell, or an ssh login to the host) through winpty/ptyprocess PtyProcess.spawn, pexpect, Tornado's process.Subprocess or a subprocess with a pipe, and writes what each message from the browser says into it (a browser terminal's server side)"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003, T1059.004"
	strings:
		$w1 = /\b(from|import)\s+(flask_socketio|socketio|fastapi|aiohttp|tornado|websockets|starlette|flask_sock|simple_websocket|geventwebsocket|channels|quart)\b/ ascii
		$r1 = /\basync\s+for\s+\w+\s+in\s+(ws|websocket|socket|conn|connection|client)\s*:/ ascii
		$r2 = /def\s+on_message\s*\(\s*self\s*,/ ascii
		$r3 = /\b(ws|websocket|socket)\s*\.\s*(receive|recv|receive_str|receive_text|receive_bytes)\s*\(/ ascii
		$r4 = /@\w+\s*\.\s*on\s*\(\s*['"][\w-]{0,24}(input|command|cmd|exec|shell|pty|term|terminal|stdin|keys?)[\w-]{0,24}['"]/ ascii
		$p1 = /\b(PtyProcess(Unicode)?|PTY)\s*\.\s*spawn\s*\(/ ascii
		$p2 = /\bpexpect\s*\.\s*spawnu?\s*\(|\bPopenSpawn\s*\(/ ascii
		$p3 = /\bprocess\s*\.\s*Subprocess\s*\(/ ascii
		$p4 = /\b(subprocess\s*\.\s*Popen|asyncio\s*\.\s*create_subprocess_(shell|exec))\s*\(/ ascii
		$sh1 = /\(\s*\[?\s*["'](\/bin\/(ba|z|da)?sh|\/usr\/bin\/(ba|z)?sh|bash|sh|zsh|cmd|cmd\.exe|powershell(\.exe)?|pwsh(\.exe)?|ssh [^"'\n]{1,40})["']/ ascii
		$sh2 = /shell\s*=\s*True/ ascii
		$sh3 = /(environ\s*\.\s*get\s*\(|getenv\s*\(|environ\s*\[)\s*['"](SHELL|COMSPEC)['"]/ ascii
		$in = /\b(proc|process|pty|child|shell|term|terminal|p|sh|stdin|session|self\s*\.\s*\w{1,20})\s*\.\s*(write|write_to_fd|sendline|send)\s*\([^\n]{0,40}\b(msg|message|data|text|payload|keys?|input|char|chars|line)\b/ ascii
	condition:
		filesize < 500KB and $w1 and any of ($r*) and any of ($p*) and any of ($sh*) and $in
}

rule RASOAT_Python_Web_Request_Helper_Shell
{
	meta:
		description = "Python: a web route or handler that takes a command or code value from the request (a framework's request object, Tornado's get_argument, a CGI form) and hands it to a function of the same file whose parameter of that name it runs (Popen/check_output/run/call, os.system/os.popen, getoutput, exec/eval): a remote-command page split over a helper"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$fw1 = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|werkzeug|litestar|microdot)\b/ ascii
		$fw2 = /\bFieldStorage\s*\(/ ascii
		$def = /\bdef\s+\w+\s*\(\s*(self\s*,\s*)?(cmd|command|cmdline|cmd_?str|command_?str|command_?line|cmd_?line|shell_?cmd|the_?cmd|code|script)\s*(=[^,)\n]{0,30})?(,[^)\n]{0,60})?\)\s*:[\s\S]{0,800}(\b(Popen|check_output|check_call|getoutput|getstatusoutput|system|popen[234]?|run|call)\s*\(\s*(cmd|command|cmdline|cmd_?str|command_?str|command_?line|cmd_?line|shell_?cmd|the_?cmd|code|script)\s*[,)]|[^\w.](exec|eval)\s*\(\s*(cmd|command|cmdline|cmd_?str|command_?str|command_?line|cmd_?line|shell_?cmd|the_?cmd|code|script)\s*[,)])/ ascii
		$use = /\b(cmd|command|cmdline|cmd_?str|command_?str|command_?line|cmd_?line|shell_?cmd|the_?cmd|code|script)\s*=\s*(self\s*\.\s*get_(body_|query_)?argument\s*\(|request\s*\.\s*(args|form|forms|values|json|data|query|params|GET|POST|query_params|get_json|matchdict|match_info)\b|form\s*\.\s*getvalue\s*\()[^\n]{0,80}\n[\s\S]{0,300}(\breturn|\byield|=)\s*[a-z_]\w*\s*\(\s*(cmd|command|cmdline|cmd_?str|command_?str|command_?line|cmd_?line|shell_?cmd|the_?cmd|code|script)\s*\)/ ascii
		$test = /\bimport\s+(unittest|pytest)\b|\bfrom\s+(unittest|test)\s+import\b/ ascii
	condition:
		filesize < 200KB and not $test and any of ($fw*) and $def and $use
}

rule RASOAT_Python_Web_Request_Script_Run
{
	meta:
		description = "Python: a web route or handler that reads the request, writes lines into a shell script file it opened for writing or appending (x.sh) and runs that script with a shell (['bash', 'x.sh'], os.system('sh x.sh')): the request's commands run by way of a script on disk"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003, T1059.004"
	strings:
		$fw = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|werkzeug|litestar|microdot)\b/ ascii
		$in = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|query_params|get_json|get_data)\b|\bself\s*\.\s*get_(body_|query_)?argument\s*\(/ ascii
		$op = /\bopen\s*\(\s*[rfb]?['"][^'"\n]{0,80}\.(sh|bash)['"]\s*,\s*['"](w|a|w\+|a\+)['"]/ ascii
		$wr = /\.\s*write(lines)?\s*\(/ ascii
		$run1 = /\[\s*['"](\/usr)?(\/bin\/)?(ba|z|da)?sh['"]\s*,\s*([rfb]?['"]-[a-z]{1,3}['"]\s*,\s*)?[rfb]?['"][^'"\n]{0,80}\.(sh|bash)['"]/ ascii
		$run2 = /\b(system|popen|getoutput|getstatusoutput|Popen|run|call|check_output|check_call)\s*\(\s*[rfb]?['"](\/usr)?(\/bin\/)?(ba|z|da)?sh\s+[^'"\n]{0,80}\.(sh|bash)['"]/ ascii
	condition:
		filesize < 200KB and $fw and $in and $op and $wr and any of ($run*)
}

rule RASOAT_Python_Web_Py2_Exec_Statement
{
	meta:
		description = "Python: a web view or handler that reads the request (request.POST/GET/form/args, a form's cleaned_data, Tornado's get_argument, a CGI form) and runs a variable with Python 2's exec statement (exec code, no parentheses): a code-evaluation webshell the exec(...) forms do not cover"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$fw1 = /\b(from|import)\s+(flask|bottle|django|tornado|cherrypy|pyramid|web|webapp2|pylons|werkzeug|twisted\.web)\b/ ascii
		$fw2 = /\bFieldStorage\s*\(/ ascii
		$in = /\brequest\s*\.\s*(POST|GET|REQUEST|form|args|values|params|body|vars)\b|\bcleaned_data\s*\[|\bself\s*\.\s*get_(body_|query_)?argument\s*\(|\.\s*getvalue\s*\(\s*['"]/ ascii
		$ex = /\n[ \t]+exec[ \t]+[a-z_]\w*([ \t]+in[ \t]+[^\n]{1,80})?[ \t]*\r?\n/ ascii
		$test = /\bimport\s+(unittest|pytest)\b|\bfrom\s+(unittest|test)\s+import\b/ ascii
	condition:
		filesize < 200KB and not $test and any of ($fw*) and $in and $ex
}
