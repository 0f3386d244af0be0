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
 *    `def shell(cmd): … Popen(cmd, …)`), where no single line holds both,
 *    or an argument list assembled from the request's fields
 *    (`call = p['args'].split(); call.insert(0, p['command'])`) handed to
 *    such a helper (`def syscall(args): … Popen(args, …)`);
 *  - request data written into a shell script the route then runs with a
 *    shell (`open('x.sh', 'a').write(...)` then `['bash', 'x.sh']`);
 *  - Python 2's exec statement (`exec code`, no parentheses) in a web view
 *    that reads the request, which the exec(...) rules cannot see;
 *  - a typed request model's command field run in a shell (a FastAPI route
 *    taking `body: Model` with `command: str`, then run(body.command,
 *    shell=True), or the field copied to a name first), where no request.*
 *    name appears;
 *  - a pty shell fed through the event forms the pty rule of
 *    webshells_pyweb3.yar does not read (a Socket.IO Namespace class's
 *    on_<event> methods, receive_json, `async for` over the socket) and
 *    written to a descriptor of any name;
 *  - a file manager over any path the request names with the verbs the
 *    earlier file-manager rules do not read (walk imported bare, makedirs,
 *    removedirs, send_file of the name);
 *  - a request value compiled as a template through an intermediate name
 *    (`x = request.form[...]` … `env.from_string(x).render()`);
 *  - a code runner writing the request JSON's text into the file the same
 *    JSON names and running it with the server's Python
 *    (`open(d['filename'], 'w').write(d['content'])`, then
 *    `Popen([sys.executable, d['filename']])`).
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
		description = "Python: a web route or handler that takes a command or code value from the request (a framework's request object, Tornado's get_argument, a CGI form) and hands it to a function of the same file whose parameter of that name it runs (Popen/check_output/run/call, os.system/os.popen, getoutput, exec/eval), or assembles an argument list from the request's fields (a field split into it, a field inserted as its program) and hands that list to such a function: a remote-command page split over a helper"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$fw1 = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|werkzeug|litestar|microdot)\b/ ascii
		$fw2 = /\bFieldStorage\s*\(/ ascii
		$def = /\bdef\s+\w+\s*\(\s*(self\s*,\s*)?(cmd|command|cmdline|cmd_?str|command_?str|command_?line|cmd_?line|shell_?cmd|the_?cmd|code|script)\s*(=[^,)\n]{0,30})?(,[^)\n]{0,60})?\)\s*:[\s\S]{0,800}(\b(Popen|check_output|check_call|getoutput|getstatusoutput|system|popen[234]?|run|call)\s*\(\s*(cmd|command|cmdline|cmd_?str|command_?str|command_?line|cmd_?line|shell_?cmd|the_?cmd|code|script)\s*[,)]|[^\w.](exec|eval)\s*\(\s*(cmd|command|cmdline|cmd_?str|command_?str|command_?line|cmd_?line|shell_?cmd|the_?cmd|code|script)\s*[,)])/ ascii
		$use = /\b(cmd|command|cmdline|cmd_?str|command_?str|command_?line|cmd_?line|shell_?cmd|the_?cmd|code|script)\s*=\s*(self\s*\.\s*get_(body_|query_)?argument\s*\(|request\s*\.\s*(args|form|forms|values|json|data|query|params|GET|POST|query_params|get_json|matchdict|match_info)\b|form\s*\.\s*getvalue\s*\()[^\n]{0,80}\n[\s\S]{0,300}(\breturn|\byield|=)\s*[a-z_]\w*\s*\(\s*(cmd|command|cmdline|cmd_?str|command_?str|command_?line|cmd_?line|shell_?cmd|the_?cmd|code|script)\s*\)/ ascii
		$def2 = /\bdef\s+\w+\s*\(\s*(self\s*,\s*)?(args|argv|call|cmd_?list|command_?list|cmds|cmd_?args)\s*(=[^,)\n]{0,30})?(,[^)\n]{0,60})?\)\s*:[\s\S]{0,800}\b(Popen|check_output|check_call|run|call)\s*\(\s*(args|argv|call|cmd_?list|command_?list|cmds|cmd_?args)\s*[,)]/ ascii
		$jsn = /\b[a-z_]\w*\s*=\s*request\s*\.\s*(json|get_json\s*\([^)\n]{0,30}\)|form|args|values)\b/ ascii
		$asm = /\b(args|argv|call|cmd_?list|command_?list|cmds|cmd_?args)\s*=\s*[a-z_]\w*\s*\[\s*['"][^'"\n]{1,30}['"]\s*\]\s*\.\s*split\s*\(|\b(args|argv|call|cmd_?list|command_?list|cmds|cmd_?args)\s*\.\s*insert\s*\(\s*0\s*,\s*[a-z_]\w*\s*\[\s*['"][^'"\n]{1,30}['"]\s*\]\s*\)/ ascii
		$call2 = /(\breturn|\byield|=)\s*[a-z_]\w*\s*\(\s*(args|argv|call|cmd_?list|command_?list|cmds|cmd_?args)\s*\)/ ascii
		$test = /\bimport\s+(unittest|pytest)\b|\bfrom\s+(unittest|test)\s+import\b/ ascii
	condition:
		filesize < 200KB and not $test and any of ($fw*) and (($def and $use) or ($def2 and $jsn and $asm and $call2))
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

rule RASOAT_Python_Web_Model_Field_Shell
{
	meta:
		description = "Python: a FastAPI/Litestar/django-ninja style route whose request body is a typed model (pydantic BaseModel, Schema) with a command or code field (command, cmd, script, code, ...) and that runs that field, as it is or through a name it was copied to, in a shell or as code (subprocess with shell=True, os.system/os.popen, getoutput, create_subprocess_shell, exec/eval): a remote-command API whose request object is a parameter, not request.*"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.004"
	strings:
		$fw = /\b(from|import)\s+(fastapi|litestar|starlette|ninja|pydantic|flask_pydantic|sanic|quart)\b/ ascii
		$model = /\bclass\s+\w+\s*\(\s*(pydantic\s*\.\s*)?(BaseModel|Schema)\s*\)\s*:/ ascii
		$field = /\n[ \t]+(command|cmd|cmdline|command_line|shell_command|shell_cmd|script|code|expression|expr)\s*:\s*(str|Optional\s*\[\s*str\s*\]|str\s*\|\s*None)\b/ ascii
		$x1 = /\b(subprocess\s*\.\s*)?(run|Popen|call|check_output|check_call)\s*\(\s*[a-z_]\w*\s*\.\s*(command|cmd|cmdline|command_line|shell_command|shell_cmd|script)\s*,[^)]{0,400}\bshell\s*=\s*True/ ascii
		$x2 = /\b(os\s*\.\s*(system|popen)|getoutput|getstatusoutput|create_subprocess_shell)\s*\(\s*[a-z_]\w*\s*\.\s*(command|cmd|cmdline|command_line|shell_command|shell_cmd|script)\b/ ascii
		$x3 = /[^\w.](exec|eval)\s*\(\s*[a-z_]\w*\s*\.\s*(code|script|expression|expr|command|cmd)\s*[,)]/ ascii
		$x4 = /\b[a-z_]\w*\s*=\s*[a-z_]\w*\s*\.\s*(command|cmd|cmdline|command_line|shell_command|shell_cmd|script)\s*\n[\s\S]{0,600}\b(subprocess\s*\.\s*)?(run|Popen|call|check_output|check_call)\s*\(\s*[a-z_]\w*\s*,[^)]{0,400}\bshell\s*=\s*True/ ascii
		$test = /\bimport\s+(unittest|pytest)\b|\bfrom\s+(unittest|test)\s+import\b/ ascii
	condition:
		filesize < 200KB and not $test and $fw and $model and $field and any of ($x*)
}

rule RASOAT_Python_Web_PTY_Terminal_Events
{
	meta:
		description = "Python: a web terminal that opens a pseudo-terminal for a shell (pty.openpty, pty.fork, os.forkpty) and writes into it what the browser sends through event forms the handler-decorator rule does not read: a class-based Socket.IO Namespace's on_<event> methods, a WebSocket's receive_json, or iterating the socket (async for); the write goes to the pty's descriptor whatever its name"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003, T1059.004"
	strings:
		$w1 = /\b(from|import)\s+(flask_socketio|socketio|flask_sock|simple_websocket|websockets|tornado\.websocket|aiohttp|fastapi|starlette|channels|quart)\b/ ascii
		$ns = /\bclass\s+\w+\s*\(\s*((flask_)?socketio\s*\.\s*)?(Async)?Namespace\s*\)/ ascii
		$onm = /\bdef\s+on_[a-z]\w*\s*\(\s*self\s*,\s*[a-z_]\w*/ ascii
		$ev2 = /\b(ws|websocket|socket)\s*\.\s*receive_json\s*\(/ ascii
		$ev3 = /\basync\s+for\s+\w+\s+in\s+(ws|websocket|socket)\s*:/ ascii
		$pty1 = /\bpty\s*\.\s*(openpty|fork)\s*\(\s*\)/ ascii
		$pty2 = /\bos\s*\.\s*(openpty|forkpty)\s*\(\s*\)/ ascii
		$sh1 = /["'](\/bin\/(ba|z|da)?sh|\/usr\/bin\/(ba|z)?sh)["']/ ascii
		$sh2 = /(environ\s*\.\s*get\s*\(|getenv\s*\(|environ\s*\[)\s*['"]SHELL['"]/ ascii
		$wr = /\bos\s*\.\s*write\s*\(\s*[\w.\[\]'"]{1,60}\s*,\s*[^\n]{0,40}\b(msg|message|data|text|payload|keys?|input|text_data|content)\b/ ascii
	condition:
		filesize < 500KB and $w1 and (($ns and $onm) or $ev2 or $ev3) and any of ($pty*) and any of ($sh*) and $wr
}

rule RASOAT_Python_Web_Request_Path_Browser
{
	meta:
		description = "Python: a web route that takes a path from the request and, for that name as it came, lists the directory (os.listdir/scandir/walk), deletes it (os.remove/unlink/rmdir/removedirs, shutil.rmtree) and creates or downloads it (os.makedirs/mkdir, send_file): a file manager over the whole file system, the other verbs of the file-manager rules"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003, T1083"
	strings:
		$fw = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|werkzeug)\b/ ascii
		$as = /\b[a-z_]\w*\s*=\s*request\s*\.\s*(args|form|values|GET|POST|query_params|params|query)\s*(\[\s*['"][^'"\n]{1,30}['"]\s*\]|\.\s*get\s*\(\s*['"][^'"\n]{1,30}['"])/ ascii
		$ls1 = /\bos\s*\.\s*(listdir|scandir|walk)\s*\(\s*[a-z_]\w*\s*\)/ ascii
		$ls2 = /\bfrom\s+os\s+import\s+[^\n]*\b(walk|listdir|scandir)\b[\s\S]{0,4000}[^\w.](walk|listdir|scandir)\s*\(\s*[a-z_]\w*\s*\)/ ascii
		$rm = /\b(os\s*\.\s*(remove|unlink|rmdir|removedirs)|shutil\s*\.\s*rmtree)\s*\(\s*[a-z_]\w*\s*\)/ ascii
		$mk = /\bos\s*\.\s*(makedirs|mkdir)\s*\(\s*[a-z_]\w*\s*[,)]/ ascii
		$dl = /\bsend_file\s*\(\s*[a-z_]\w*\s*[,)]/ ascii
		$test = /\bimport\s+(unittest|pytest)\b|\bfrom\s+(unittest|test)\s+import\b/ ascii
	condition:
		filesize < 200KB and not $test and $fw and $as and any of ($ls*) and $rm and ($mk or $dl)
}

rule RASOAT_Python_Web_Template_From_Request_Var
{
	meta:
		description = "Python: a web route that takes a request value into a variable and, a few lines on, compiles that variable as a Jinja2/Mako template (Environment().from_string(x).render(), Template(x).render(), render_template_string(x)): server-side template injection through an intermediate name, which runs Python for the visitor"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$fw = /\b(from|import)\s+(flask|jinja2|mako|bottle|django|tornado|fastapi|starlette|quart)\b/ ascii
		$t1 = /\b[a-z_]\w*\s*=\s*request\s*\.\s*(args|form|values|json|data|GET|POST|params|query_params|get_json\s*\(\s*\))\s*(\[[^\]\n]{1,40}\]|\.\s*get\s*\([^)\n]{1,60}\))[^\n]{0,40}\n[\s\S]{0,200}\b(from_string|Template)\s*\(\s*[a-z_]\w*\s*\)\s*\.\s*render\s*\(/ ascii
		$t2 = /\b[a-z_]\w*\s*=\s*request\s*\.\s*(args|form|values|json|data|GET|POST|params|query_params|get_json\s*\(\s*\))\s*(\[[^\]\n]{1,40}\]|\.\s*get\s*\([^)\n]{1,60}\))[^\n]{0,40}\n[\s\S]{0,200}\brender_template_string\s*\(\s*[a-z_]\w*\s*[,)]/ ascii
	condition:
		filesize < 200KB and $fw and any of ($t*)
}

rule RASOAT_Python_Web_Request_File_Interpreted
{
	meta:
		description = "Python: a web route that takes a file name and its text from the request (a JSON body or form read into a dict), writes that text into the file it names and runs the file with the server's Python (sys.executable or python as the program): a code runner that is also an arbitrary file writer"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$fw = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|werkzeug)\b/ ascii
		$in = /\brequest\s*\.\s*(get_json|json|form|values|args|POST|data)\b/ ascii
		$op = /\bopen\s*\(\s*[a-z_]\w*\s*\[\s*['"][^'"\n]{1,30}['"]\s*\]\s*,\s*['"]w/ ascii
		$wr = /\.\s*write\s*\(\s*[a-z_]\w*\s*\[\s*['"][^'"\n]{1,30}['"]\s*\]\s*\)/ ascii
		$run = /\b(Popen|run|check_output|call|check_call)\s*\(\s*\[\s*(sys\s*\.\s*executable|['"](\/usr(\/local)?\/bin\/)?python[23]?(\.\d+)?['"])\s*,\s*[a-z_]\w*\s*\[\s*['"][^'"\n]{1,30}['"]\s*\]\s*[\],]/ ascii
	condition:
		filesize < 200KB and $fw and $in and $op and $wr and $run
}
