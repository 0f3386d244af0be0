/*
 * webshells_pyweb4.yar — Python webshell techniques, eighth set (issue 15).
 * Generic forms, one rule per technique, from the tuning part of the corpus
 * (a Flask page formatting a query value into render_template_string, a
 * FastAPI shell whose routes are defined by exec of an f-string) and from
 * public tradecraft with no tuning example: shell command lines built from
 * request values (concatenation, %, .format, f-strings, decoded values);
 * subprocess calls with shell=True spread over several lines; os.exec,
 * os.spawn, os.posix_spawn and pty.spawn fed by the request; template
 * injection and sandbox-escape chains; web Python consoles
 * (code.InteractiveConsole, exec with captured output); request data run by
 * exec/eval/compile or an unsafe YAML load in a file of any size; uploads
 * written where the request says, made executable, or saved under the
 * client's name; request reads of every usual kind (Falcon, awaited bodies,
 * headers, cookies) to a command in a variable; bare ASGI applications; CGI
 * scripts reading stdin; a long-lived shell fed with request lines; request
 * text written into a file. Each rule has an inert sample under
 * tests/fixtures/webshell/python/ and clean look-alikes under
 * tests/fixtures/webshell/clean/.
 */

rule RASOAT_Python_Web_Request_Built_Command
{
	meta:
		description = "Python: a web application or HTTP handler that reads the request and runs a shell command line built in place (a literal joined with a value by +, %, .format or an f-string, or a decoded request value) through os.system/os.popen, subprocess with a string, commands/getoutput or asyncio.create_subprocess_shell"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059.004"
	strings:
		$fw1 = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|werkzeug|litestar)\b/ ascii
		$fw2 = /\b(Base|Simple|CGI)HTTPRequestHandler\b/ ascii
		$fw3 = /\bcgi\s*\.\s*FieldStorage\s*\(/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|META|COOKIES|cookies|headers|files|get_json|get_data|query_params|path_params|match_info|rel_url|query_string)\b/ ascii
		$in2 = /\bself\s*\.\s*get_(body_|query_)?argument\s*\(/ ascii
		$in3 = /\bawait\s+request\s*\.\s*(json|post|text|read|form|body)\s*\(/ ascii
		$in4 = /\bself\s*\.\s*(path|rfile\s*\.\s*read|headers\s*\.\s*get)\b/ ascii
		$in5 = /\bform\s*\.\s*getvalue\s*\(/ ascii
		$in6 = /\bweb\s*\.\s*input\s*\(/ ascii
		// a sink whose first argument is a command line built in place
		$x1 = /\b(os\s*\.\s*(system|popen)|subprocess\s*\.\s*(run|call|Popen|check_output|check_call|getoutput|getstatusoutput)|commands\s*\.\s*getoutput|create_subprocess_shell)\s*\(\s*(f['"]|['"][^'"\n]{1,80}['"]\s*(\+|%\s*[A-Za-z_(])|['"][^'"\n]{0,80}\{\}[^'"\n]{0,40}['"]\s*\.\s*format\s*\(|[A-Za-z_][\w.]*\s*\+\s*['"])/ ascii
		// a sink whose first argument is the request itself, or a decoded value
		$def = /\bclass\s+(Base|Simple|CGI)HTTPRequestHandler\b/ ascii
		$x2 = /\b(os\s*\.\s*(system|popen)|subprocess\s*\.\s*(run|call|Popen|check_output|check_call|getoutput|getstatusoutput)|commands\s*\.\s*getoutput|create_subprocess_shell)\s*\(\s*(request\s*\.|self\s*\.\s*get_argument|base64\s*\.\s*(b64|b32|urlsafe_b64)decode\s*\(|bytes\s*\.\s*fromhex\s*\(|codecs\s*\.\s*decode\s*\(|unquote(_plus)?\s*\()/ ascii
	condition:
		filesize < 64KB and any of ($fw*) and any of ($in*) and any of ($x*) and not $def
}

rule RASOAT_Python_Web_Multiline_Shell_True
{
	meta:
		description = "Python: a web application or HTTP handler that reads the request and passes a variable to subprocess with shell=True written on a later line of the same call (the form that hides the flag from one-line searches)"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.004"
	strings:
		$fw1 = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|werkzeug|litestar)\b/ ascii
		$fw2 = /\b(Base|Simple|CGI)HTTPRequestHandler\b/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|get_json|get_data|query_params|match_info)\b/ ascii
		$in2 = /\bself\s*\.\s*get_(body_|query_)?argument\s*\(/ ascii
		$in3 = /\bawait\s+request\s*\.\s*(json|post|text|read|form|body)\s*\(/ ascii
		$in4 = /\bself\s*\.\s*(path|rfile\s*\.\s*read)\b/ ascii
		$x = /\b(subprocess\s*\.\s*)?(run|call|Popen|check_output|check_call)\s*\(\s*[A-Za-z_][\w.]*\s*,[^()\n]{0,120}\n[^()]{0,240}\bshell\s*=\s*True/ ascii
		$def = /\bclass\s+(Base|Simple|CGI)HTTPRequestHandler\b/ ascii
	condition:
		filesize < 1MB and any of ($fw*) and any of ($in*) and $x and not $def
}

rule RASOAT_Python_Web_Request_Exec_Family
{
	meta:
		description = "Python: a web application or HTTP handler that reads the request and replaces or spawns a process with os.exec*/os.spawn*/os.posix_spawn or pty.spawn on a value (not a literal program), the process-image form of a command webshell"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$fw1 = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|werkzeug|litestar)\b/ ascii
		$fw2 = /\b(Base|Simple|CGI)HTTPRequestHandler\b/ ascii
		$fw3 = /\bcgi\s*\.\s*FieldStorage\s*\(/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|get_json|get_data|query_params|match_info)\b/ ascii
		$in2 = /\bself\s*\.\s*get_(body_|query_)?argument\s*\(/ ascii
		$in3 = /\bawait\s+request\s*\.\s*(json|post|text|read|form|body)\s*\(/ ascii
		$in4 = /\bself\s*\.\s*(path|rfile\s*\.\s*read)\b/ ascii
		$in5 = /\bform\s*\.\s*getvalue\s*\(/ ascii
		$x1 = /\bos\s*\.\s*(execv|execvp|execve|execvpe|execl|execlp|execle|execlpe|spawnv|spawnvp|spawnve|spawnvpe|spawnl|spawnlp|posix_spawn|posix_spawnp)\s*\(\s*[A-Za-z_][\w.]*\s*,\s*[A-Za-z_\[]/ ascii
		$x2 = /\bpty\s*\.\s*spawn\s*\(\s*([A-Za-z_][\w.]*\s*[,)]|\[\s*['"](\/bin\/)?(ba|z|da)?sh['"]\s*,\s*['"]-c['"])/ ascii
		$fork = /\bos\s*\.\s*fork\s*\(/ ascii
		$def = /\bclass\s+(Base|Simple|CGI)HTTPRequestHandler\b/ ascii
	condition:
		filesize < 500KB and any of ($fw*) and any of ($in*) and ($x2 or ($x1 and ($fork or filesize < 40KB))) and not $def
}

rule RASOAT_Python_Web_Template_Injection
{
	meta:
		description = "Python: a web page that builds a Jinja2/Mako template from request data (render_template_string, Template(...), from_string of a string joined with a request value): template injection lets the visitor run Python on the server, the form Flask SSTI pages and payload shells take"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$fw = /\b(from|import)\s+(flask|jinja2|mako|bottle|django|tornado|fastapi|starlette|quart)\b/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|values|json|data|query|params|GET|POST|get_json|cookies|headers)\b/ ascii
		$in2 = /\bself\s*\.\s*get_argument\s*\(/ ascii
		// the request value given straight to the template compiler
		$t1 = /\b(render_template_string|from_string|Template)\s*\(\s*(request\s*\.|self\s*\.\s*get_argument|f['"])/ ascii
		// a template built in place from a literal and a value
		$t2 = /\b(render_template_string|from_string|Template)\s*\(\s*(['"][^'"\n]{0,120}['"]\s*(\+|%\s*[A-Za-z_(])|[A-Za-z_]\w*\s*\+|['"][^'"\n]{0,120}\{\}[^'"\n]{0,40}['"]\s*\.\s*format\s*\()/ ascii
		// a template held in a variable that was formatted with %, + or .format
		$t3 = /\brender_template_string\s*\(\s*[A-Za-z_]\w*\s*[,)]/ ascii
		$fmt1 = /%s[^'"]{0,300}['"]{1,3}\s*\)?\s*%\s*\(?\s*[A-Za-z_]/ ascii
		$fmt2 = /\{\}[^'"]{0,300}['"]{1,3}\s*\)?\s*\.\s*format\s*\(/ ascii
		$fmt3 = /= f"[^"\n]{0,200}\{[A-Za-z_]/ ascii
		$fmt4 = /= f'[^'\n]{0,200}\{[A-Za-z_]/ ascii
		$fmt5 = /= f"""[^"]{0,400}\{[A-Za-z_]/ ascii
	condition:
		filesize < 200KB and $fw and any of ($in*) and ($t1 or $t2 or ($t3 and any of ($fmt*) and filesize < 20KB))
}

rule RASOAT_Python_Sandbox_Escape_Chain
{
	meta:
		description = "Python: an object-graph walk to os, builtins or subprocess (__class__.__mro__/__base__.__subclasses__(), __init__.__globals__['os'], __builtins__['eval'] / ['__import__']) followed by a command or code call: the payload of Python template-injection and sandbox-escape shells"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$w1 = /__(class|base)__\s*\.\s*__(mro|base|bases)__[^\n]{0,120}__subclasses__\s*\(\s*\)/ ascii
		$w2 = /__init__\s*\.\s*__globals__\s*(\[\s*['"](os|__builtins__|sys|subprocess)['"]|\.\s*(get|__getitem__)\s*\(\s*['"](os|__builtins__|sys|subprocess)['"])/ ascii
		$w3 = /__builtins__\s*(\[\s*|\.\s*(get|__getitem__)\s*\(\s*)['"](eval|exec|__import__|open|compile)['"]/ ascii
		$w4 = /\b(config|self|cycler|joiner|namespace|lipsum|url_for|get_flashed_messages|request\s*\.\s*application)\s*\.\s*__(init__|class__)\s*\.\s*__(globals__|init__)/ ascii
		$run = /(\.\s*popen\s*\(|\.\s*system\s*\(|check_output|__import__\s*\(\s*\\?['"]os|['"]eval['"]\s*\]\s*\(|\.\s*read\s*\(\s*\))/ ascii
	condition:
		filesize < 300KB and 2 of ($w*) and $run
}

rule RASOAT_Python_Web_Interactive_Console
{
	meta:
		description = "Python: a web application that keeps a Python interpreter (code.InteractiveConsole/InteractiveInterpreter) and feeds it lines the request sends (push, runsource, runcode): an in-browser Python console on the server"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$fw1 = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|socketio|flask_socketio|websockets)\b/ ascii
		$fw2 = /\b(Base|Simple)HTTPRequestHandler\b/ ascii
		$con = /\b(code\s*\.\s*)?Interactive(Console|Interpreter)\s*\(/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|get_json|get_data|query_params|match_info)\b/ ascii
		$in2 = /\bself\s*\.\s*(get_(body_|query_)?argument\s*\(|request\s*\.\s*body|rfile\s*\.\s*read)/ ascii
		$in3 = /\bawait\s+(request|websocket|ws)\s*\.\s*(json|post|text|read|receive|receive_text|recv)\s*\(/ ascii
		$in4 = /@\s*(socketio|sio)\s*\.\s*on\s*\(/ ascii
		$run = /\.\s*(push|runsource|runcode)\s*\(\s*[A-Za-z_][\w.\[\]'"]*\s*[,)]/ ascii
	condition:
		filesize < 300KB and any of ($fw*) and $con and any of ($in*) and $run
}

rule RASOAT_Python_Web_Request_Exec_Direct
{
	meta:
		description = "Python: a web application that hands request data straight to exec, eval, compile or an unsafe YAML load (exec(request.form[...]), eval(self.get_argument(...)), compile(await request.text(), ...), yaml.unsafe_load(request.data)), in a file of any size"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$e1 = /(^|[^\w.])(exec|eval|compile)\s*\(\s*(request\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|get_json|get_data|query_params|match_info|cookies|headers)\b|self\s*\.\s*get_(body_|query_)?argument\s*\(|self\s*\.\s*request\s*\.\s*body\b|await\s+request\s*\.\s*(json|post|text|read)\s*\()/ ascii
		$e2 = /(^|[^\w.])(exec|eval)\s*\(\s*(base64\s*\.\s*b64decode|bytes\s*\.\s*fromhex|codecs\s*\.\s*decode|zlib\s*\.\s*decompress)\s*\(\s*request\s*\./ ascii
		$e3 = /\byaml\s*\.\s*(unsafe_load|load|full_load)\s*\(\s*request\s*\.\s*(args|form|values|json|data|body|get_data|GET|POST)\b/ ascii
	condition:
		filesize < 2MB and any of them
}

rule RASOAT_Python_Web_Upload_Exec_Or_Named_Write
{
	meta:
		description = "Python: a web application that writes uploaded or posted content where the request says (open() of a request value for writing, save() to a request-named path) or saves an upload and makes it executable (os.chmod with an executable mode, chmod +x)"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1105"
	strings:
		$fw = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|werkzeug)\b/ ascii
		$n1 = /\bopen\s*\(\s*(request\s*\.\s*(args|form|forms|values|json|GET|POST|query|params)\b[^)\n]{0,60}\)?|self\s*\.\s*get_(body_)?argument\s*\([^)\n]{0,40}\))\s*,\s*['"](w|a|wb|ab|w\+|wb\+)['"]/ ascii
		$n2 = /\.\s*save\s*\(\s*(request\s*\.\s*(args|form|forms|values|json|GET|POST|query|params)\b|os\s*\.\s*path\s*\.\s*join\s*\([^)\n]{0,60}request\s*\.\s*(args|form|forms|values|GET|POST))/ ascii
		$up = /\brequest\s*\.\s*(files|FILES)\b/ ascii
		$sv = /\.\s*(save|write)\s*\(/ ascii
		$cx1 = /\bos\s*\.\s*chmod\s*\([^)\n]{0,80}(0o?7[0-7][0-7]|0o?[0-7]?[157][0-7][0-7]|S_IX(USR|GRP|OTH)|S_IRWXU)/ ascii
		$cx2 = /['"]chmod\s+(\+x|[0-7]?7[0-7][0-7])\b/ ascii
	condition:
		filesize < 500KB and $fw and (any of ($n*) or ($up and $sv and any of ($cx*)))
}

rule RASOAT_Python_Web_Unchecked_Upload_Or_Path
{
	meta:
		description = "Python: a small web application that saves an upload under the name the client sent (file.filename joined into the path, no secure_filename), or lists or sends back any directory or file the request names: the uploader and file-browser webshell forms"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003, T1105, T1083"
	strings:
		$fw = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|werkzeug)\b/ ascii
		$up = /\brequest\s*\.\s*(files|FILES)\b/ ascii
		$s1 = /\.\s*save\s*\(\s*(os\s*\.\s*path\s*\.\s*join\s*\([^)\n]{0,80})?[A-Za-z_][\w.]*\s*\.\s*(filename|raw_filename|name)\s*\)/ ascii
		$s2 = /\bopen\s*\(\s*(os\s*\.\s*path\s*\.\s*join\s*\([^)\n]{0,80})?[A-Za-z_][\w.]*\s*\.\s*(filename|raw_filename|name)\s*\)?\s*,\s*['"](wb|w|ab)['"]/ ascii
		$safe = /\b(secure_filename|safe_join|get_valid_filename|basename)\b/ ascii
		$p1 = /\bos\s*\.\s*(listdir|scandir|walk|remove|unlink|rmdir)\s*\(\s*(request\s*\.\s*(args|form|forms|values|GET|POST|query|params)\b|self\s*\.\s*get_argument\s*\()/ ascii
		$p2 = /\b(send_file|static_file|FileResponse)\s*\(\s*(request\s*\.\s*(args|form|forms|values|GET|POST|query|params)\b|self\s*\.\s*get_argument\s*\()/ ascii
	condition:
		filesize < 30KB and $fw and (($up and any of ($s*) and not $safe) or any of ($p*))
}

rule RASOAT_Python_Web_Request_Shell_Wide
{
	meta:
		description = "Python: a small web application or HTTP handler that reads the request in any of the usual ways (Falcon req.get_param/req.media, awaited request bodies, headers, cookies, META, query_params) and runs a command held in a variable: subprocess.run/call with shell=True, os.system/os.popen, getoutput, asyncio.create_subprocess_shell, pexpect.spawn/run, or libc's system through ctypes"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.004"
	strings:
		$fw1 = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|werkzeug|litestar|twisted\.web|klein|responder|hug|masonite|emmett|microdot|robyn|blacksheep)\b/ ascii
		$fw2 = /\b(Base|Simple)HTTPRequestHandler\b/ ascii
		$fw3 = /\bdef\s+on_(get|post|put)\s*\(\s*self\s*,\s*req\s*,\s*resp\b/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|META|COOKIES|cookies|headers|get_json|get_data|query_params|path_params|match_info|rel_url|query_string|vars|get_param|stream)\b/ ascii
		$in2 = /\breq\s*\.\s*(get_param|get_param_as_list|get_param_as_int|media|get_media|bounded_stream)\b/ ascii
		$in3 = /\bawait\s+(request|req)\s*\.\s*(json|post|text|read|form|body|get_media)\s*\(/ ascii
		$in4 = /\bself\s*\.\s*(get_(body_|query_)?argument\s*\(|request\s*\.\s*(body|arguments|headers)\b|rfile\s*\.\s*read\s*\()/ ascii
		$x1 = /\b(subprocess\s*\.\s*)?(run|call|Popen|check_output|check_call)\s*\(\s*[A-Za-z_][\w.]*\s*,[^\n]{0,160}\bshell\s*=\s*True/ ascii
		$x2 = /\bos\s*\.\s*(system|popen)\s*\(\s*[A-Za-z_][\w.]*\s*[,)]/ ascii
		$x3 = /\b(getoutput|getstatusoutput)\s*\(\s*[A-Za-z_][\w.]*\s*\)/ ascii
		$x4 = /\bcreate_subprocess_shell\s*\(\s*[A-Za-z_][\w.]*\s*[,)]/ ascii
		$x5 = /\bpexpect\s*\.\s*(spawn|run|spawnu)\s*\(\s*[A-Za-z_][\w.]*\s*[,)]/ ascii
		$x6 = /\b(CDLL|cdll\s*\.\s*LoadLibrary)\s*\([^)\n]{0,40}\)\s*\.\s*system\s*\(\s*[A-Za-z_][\w.]*/ ascii
		$def = /\bclass\s+(Base|Simple|CGI)HTTPRequestHandler\b/ ascii
	condition:
		filesize < 64KB and any of ($fw*) and any of ($in*) and any of ($x*) and not $def
}

rule RASOAT_Python_Exec_Generated_Route
{
	meta:
		description = "Python: web routes defined at run time by exec of generated source (an f-string or formatted string holding @app.route/get/post handlers, so the path and parameter names are chosen when the shell starts) in a file that also runs commands or code"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1027"
	strings:
		$g = /(^|[^\w.])exec\s*\(\s*(f|rf|fr)?("""|''')[^\x00]{0,600}@\s*[A-Za-z_]\w*\s*\.\s*(route|get|post|put|api_route|websocket)\s*\(/ ascii
		$g2 = /(^|[^\w.])exec\s*\(\s*("""|''')[^\x00]{0,600}@\s*[A-Za-z_]\w*\s*\.\s*(route|get|post|put|api_route)\s*\([^\x00]{0,600}("""|''')\s*\.\s*format\s*\(/ ascii
		$x1 = /\b(Popen|check_output|check_call|run|call|getoutput|getstatusoutput)\s*\([^\n]{0,200}shell\s*=\s*True/ ascii
		$x2 = /\bos\s*\.\s*(popen|system)\s*\(/ ascii
		$x3 = /(^|[^\w.])(exec|eval)\s*\(\s*[A-Za-z_]\w*\s*[,)]/ ascii
	condition:
		filesize < 200KB and ($g or $g2) and any of ($x*)
}

rule RASOAT_Python_ASGI_Raw_Shell
{
	meta:
		description = "Python: a bare ASGI application (async def app(scope, receive, send)) that takes the query string, path, headers or body from the ASGI scope or receive() and runs it as a command or as code"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$asgi = /\basync\s+def\s+\w+\s*\(\s*(self\s*,\s*)?scope\s*,\s*receive\s*,\s*send\s*\)/ ascii
		$in1 = /\bscope\s*(\[\s*|\.\s*get\s*\(\s*)['"](query_string|path|raw_path|headers)['"]/ ascii
		$in2 = /\bawait\s+receive\s*\(\s*\)/ ascii
		$x1 = /\b(Popen|check_output|check_call|run|call|getoutput|getstatusoutput)\s*\([^\n]{0,200}shell\s*=\s*True/ ascii
		$x2 = /\bos\s*\.\s*(popen|system)\s*\(\s*[A-Za-z_]/ ascii
		$x3 = /\bcreate_subprocess_(shell|exec)\s*\(\s*[A-Za-z_*]/ ascii
		$x4 = /(^|[^\w.])(exec|eval)\s*\(\s*[A-Za-z_]\w*\s*[,)]/ ascii
	condition:
		filesize < 64KB and $asgi and any of ($in*) and any of ($x*)
}

rule RASOAT_Python_Web_Exec_Captured_Output
{
	meta:
		description = "Python: a web application that runs code held in a variable with exec/eval while capturing what it prints (contextlib.redirect_stdout or sys.stdout swapped for a StringIO) and sends that back: the notebook-style remote Python console"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$fw = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|werkzeug|litestar)\b/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|get_json|get_data|query_params|match_info|stream)\b/ ascii
		$in2 = /\bself\s*\.\s*(get_(body_|query_)?argument\s*\(|request\s*\.\s*body\b)/ ascii
		$in3 = /\bawait\s+(request|websocket|ws)\s*\.\s*(json|post|text|read|form|body|receive_text|receive_json)\s*\(/ ascii
		$cap1 = /\bredirect_std(out|err)\s*\(/ ascii
		$cap2 = /\bsys\s*\.\s*stdout\s*=\s*(io\s*\.\s*)?(StringIO|[A-Za-z_]\w*)\b/ ascii
		$ev = /(^|[^\w.])(exec|eval)\s*\(\s*(compile\s*\(\s*)?[A-Za-z_][\w.\[\]'"]*\s*[,)]/ ascii
	condition:
		filesize < 1MB and $fw and any of ($in*) and any of ($cap*) and $ev
}

rule RASOAT_Python_CGI_Stdin_Shell
{
	meta:
		description = "Python: a CGI script (it prints its own Content-Type header) that reads the request from standard input or parses the query itself (sys.stdin.read, cgi.parse, parse_qs) and runs the value in a shell or as code"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$hdr = /print\s*\(?\s*['"]Content-[Tt]ype\s*:/ ascii
		$in1 = /\bsys\s*\.\s*stdin\s*\.\s*(read|readline|buffer\s*\.\s*read)\s*\(/ ascii
		$in2 = /\bcgi\s*\.\s*parse(_qs|_multipart)?\s*\(/ ascii
		$in3 = /\bparse_qsl?\s*\(\s*(sys\s*\.\s*stdin|os\s*\.\s*environ|[A-Za-z_]\w*\s*[,)])/ ascii
		$x1 = /\b(Popen|check_output|check_call|run|call|getoutput|getstatusoutput)\s*\(\s*[A-Za-z_][\w.\[\]'"]*\s*,[^\n]{0,160}shell\s*=\s*True/ ascii
		$x2 = /\bos\s*\.\s*(popen|system)\s*\(\s*[A-Za-z_][\w.\[\]'"]*\s*[,)]/ ascii
		$x3 = /\b(getoutput|getstatusoutput)\s*\(\s*[A-Za-z_][\w.\[\]'"]*\s*\)/ ascii
		$x4 = /(^|[^\w.])(exec|eval)\s*\(\s*[A-Za-z_][\w.\[\]'"]*\s*[,)]/ ascii
	condition:
		filesize < 64KB and $hdr and any of ($in*) and any of ($x*)
}

rule RASOAT_Python_Web_Persistent_Shell_Stdin
{
	meta:
		description = "Python: a web application or HTTP handler that keeps a shell process (Popen of bash/sh/cmd/powershell with a stdin pipe) and writes request data into its standard input, so every request is a line typed into the same shell"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059.004"
	strings:
		$fw1 = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|werkzeug|litestar)\b/ ascii
		$fw2 = /\b(Base|Simple)HTTPRequestHandler\b/ ascii
		$sh = /\bPopen\s*\(\s*\[?\s*['"](\/usr)?(\/bin\/)?(ba|z|da)?sh(\.exe)?['"]|\bPopen\s*\(\s*\[?\s*['"](cmd|cmd\.exe|powershell|powershell\.exe|pwsh)['"]/ ascii
		$pipe = /\bstdin\s*=\s*(subprocess\s*\.\s*)?PIPE\b/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|get_json|get_data|query_params|match_info)\b/ ascii
		$in2 = /\bself\s*\.\s*(get_(body_|query_)?argument\s*\(|path\b|rfile\s*\.\s*read\s*\()/ ascii
		$in3 = /\bawait\s+request\s*\.\s*(json|post|text|read|form|body)\s*\(/ ascii
		$wr = /\.\s*stdin\s*\.\s*write\s*\(/ ascii
	condition:
		filesize < 200KB and any of ($fw*) and $sh and $pipe and any of ($in*) and $wr
}

rule RASOAT_Python_Web_Request_Text_To_File
{
	meta:
		description = "Python: a small web application that writes a request's text field or body straight into a file it opened for writing (f.write(request.form[...]), write(request.get_data())), the file-editor form of a webshell"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003, T1105"
	strings:
		$fw = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|werkzeug)\b/ ascii
		$op = /\bopen\s*\([^)\n]{1,120},\s*['"](w|wb|a|ab|w\+)['"]/ ascii
		$w1 = /\.\s*write\s*\(\s*request\s*\.\s*(form|forms|args|values|GET|POST|json|get_json\s*\(\s*\))\s*(\[|\.\s*get\s*\()/ ascii
		$w2 = /\.\s*write\s*\(\s*(request\s*\.\s*(get_data\s*\(|data\b|body\b|stream\s*\.\s*read\s*\()|self\s*\.\s*get_(body_)?argument\s*\(|await\s+request\s*\.\s*(read|text)\s*\()/ ascii
	condition:
		filesize < 20KB and $fw and $op and any of ($w*)
}
