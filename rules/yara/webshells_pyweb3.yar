/*
 * webshells_pyweb3.yar — Python webshell techniques of the seventh round:
 * shell functions imported under their bare names (`from os import popen`,
 * `from subprocess import getoutput`, a module imported under another name)
 * and called on a value of the request; web terminals that open a
 * pseudo-terminal for a shell and write what a websocket or Socket.IO
 * client sends into it; modules and functions chosen by the request
 * (`__import__`/`import_module`/`getattr` of a request value); stand-alone
 * http.server handlers saving the request body to a file; request data
 * decrypted, decoded or unpickled and run; CherryPy and web.py handlers
 * running request values in a shell. One rule per technique, written for
 * rasoat from the tuning part of the corpus (docs/HUNT.md, "Webshell
 * corpus") and known tradecraft.
 */

rule RASOAT_Python_Web_Bare_Shell_Call
{
	meta:
		description = "Python: a web application or CGI script that imports a shell function under its bare name or the os/subprocess module under another name (from os import popen, from subprocess import getoutput, import os as o) and calls it on a request value or a route parameter"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$fw = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|cgi)\b/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|get_json|get_data|query_params|match_info|headers|cookies)\b/ ascii
		$in2 = /\bself\s*\.\s*get_(body_|query_)?argument\s*\(/ ascii
		$in3 = /\.\s*getvalue\s*\(\s*['"]/ ascii
		$in4 = /@\w+\s*\.\s*(route|get|post|put|api_route)\s*\(\s*['"][^'"\n]*<(\w+:)?\w+>/ ascii
		$imp1 = /\bfrom\s+os\s+import\s+[^\n]{0,80}\b(popen[234]?|system)\b/ ascii
		$imp2 = /\bfrom\s+(subprocess|commands)\s+import\s+[^\n]{0,80}\b(getoutput|getstatusoutput)\b/ ascii
		$imp3 = /\bimport\s+(os|subprocess|commands)\s+as\s+\w+/ ascii
		$call1 = /[^\w.](popen[234]?|system|getoutput|getstatusoutput)\s*\(\s*(str\s*\(\s*)?[A-Za-z_]\w*(\s*\))?\s*[,)]/ ascii
		$call2 = /\b\w+\s*\.\s*(popen[234]?|system|getoutput|getstatusoutput)\s*\(\s*(str\s*\(\s*)?[A-Za-z_]\w*(\s*\))?\s*[,)]/ ascii
	condition:
		filesize < 1MB and $fw and any of ($in*) and (
			(($imp1 or $imp2) and $call1) or
			($imp3 and $call2)
		)
}

rule RASOAT_Python_Web_PTY_Terminal
{
	meta:
		description = "Python: a web application that opens a pseudo-terminal (pty.openpty, pty.fork, os.forkpty) for a shell and writes into it what a websocket or Socket.IO client sends (remote terminal over the web)"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003, T1059.004"
	strings:
		$w1 = /\b(from|import)\s+(flask_socketio|socketio|flask_sock|simple_websocket|websockets|tornado\.websocket|aiohttp|fastapi|starlette|channels\.generic\.websocket)\b/ ascii
		$ev1 = /@\w+\s*\.\s*on\s*\(\s*['"][\w-]{0,24}(input|command|cmd|exec|shell|pty|term|terminal|stdin|keys?)[\w-]{0,24}['"]/ ascii
		$ev2 = /def\s+(on_message|receive|websocket_receive)\s*\(\s*self\s*,/ ascii
		$ev3 = /\b(ws|websocket|socket)\s*\.\s*(receive|recv|receive_str|receive_text|receive_bytes)\s*\(/ ascii
		$pty1 = /\bpty\s*\.\s*(openpty|fork)\s*\(\s*\)/ ascii
		$pty2 = /\bos\s*\.\s*(openpty|forkpty)\s*\(\s*\)/ ascii
		$sh1 = /["'](\/bin\/(ba|z|da)?sh|\/usr\/bin\/(ba|z)?sh)["']/ ascii
		$sh2 = /environ\s*\.\s*get\s*\(\s*['"]SHELL['"]/ ascii
		$sh3 = /getenv\s*\(\s*['"]SHELL['"]/ ascii
		$wr = /\bos\s*\.\s*write\s*\(\s*[^,\n]{0,60}(fd|master|pty)[^,\n]{0,20},/ ascii
	condition:
		filesize < 500KB and $w1 and any of ($ev*) and any of ($pty*) and any of ($sh*) and $wr
}

rule RASOAT_Python_Request_Named_Import
{
	meta:
		description = "Python: a web application or CGI script that imports a module or looks up a function named by the request (__import__, importlib.import_module, getattr on os/subprocess/builtins of a request value), so the operator picks what runs"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$fw = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|cgi)\b/ ascii
		$rq = /(request\s*\.\s*(args|form|forms|values|json|data|query|params|GET|POST|get_json|query_params|match_info|headers|cookies)|self\s*\.\s*get_(body_|query_)?argument\s*\(|form\s*\.\s*getvalue\s*\(|form\s*\[)/ ascii
		$i1 = /(__import__|import_module)\s*\(\s*(request\s*\.\s*(args|form|forms|values|json|data|query|params|GET|POST|get_json|query_params|match_info|headers|cookies)|self\s*\.\s*get_(body_|query_)?argument\s*\(|form\s*\.\s*getvalue\s*\(|form\s*\[)/ ascii
		$i2 = /getattr\s*\(\s*(os|subprocess|builtins|__builtins__|__import__\s*\([^()\n]{1,40}\)|import_module\s*\([^()\n]{1,40}\))\s*,\s*(request\s*\.\s*(args|form|forms|values|json|data|query|params|GET|POST|get_json|query_params|match_info|headers|cookies)|self\s*\.\s*get_(body_|query_)?argument\s*\(|form\s*\.\s*getvalue\s*\(|form\s*\[)/ ascii
	condition:
		filesize < 1MB and $fw and $rq and any of ($i*)
}

rule RASOAT_Python_HTTP_Handler_Upload_Drop
{
	meta:
		description = "Python: a small stand-alone http.server handler (BaseHTTPRequestHandler/SimpleHTTPRequestHandler subclass) whose do_POST/do_PUT reads the request body from rfile and writes it to a file (a drop point for uploaded tools)"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003, T1105"
	strings:
		$cls = /class\s+\w+\s*\(\s*(http\s*\.\s*server\s*\.\s*|BaseHTTPServer\s*\.\s*|SimpleHTTPServer\s*\.\s*)?(BaseHTTPRequestHandler|SimpleHTTPRequestHandler)\s*\)/ ascii
		$m = /def\s+do_(POST|PUT)\s*\(\s*self\s*\)/ ascii
		$rd = /=\s*self\s*\.\s*rfile\s*\.\s*read\s*\(/ ascii
		$op = /\bopen\s*\([^\n]{1,200}['"]wb['"]\s*\)/ ascii
		$wr = /\.\s*write\s*\(\s*(post_?data|body|data|content|payload|raw|file_?data|upload\w*)\s*\)/ ascii
	condition:
		filesize < 64KB and $cls and $m and $rd and $op and $wr
}

rule RASOAT_Python_Request_Decoded_Exec
{
	meta:
		description = "Python: a web application that decodes, decrypts or deserialises what the request carries and runs the result (exec/eval of a decrypt/XOR/base64/zlib/marshal call, pickle or marshal loads of request data): the encrypted-payload webshell form"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1027, T1059.006"
	strings:
		$fw = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|cgi|twisted\.web)\b/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|get_json|get_data|query_params|match_info|headers|cookies|stream|files)\b/ ascii
		$in2 = /\bself\s*\.\s*get_(body_|query_)?argument\s*\(|\bself\s*\.\s*request\s*\.\s*body\b/ ascii
		$in3 = /\bawait\s+request\s*\.\s*(read|text|body|json|post|form)\s*\(/ ascii
		$in4 = /environ\s*(\[|\.get\s*\()\s*['"]wsgi\.input['"]|sys\s*\.\s*stdin\s*\.\s*(buffer\s*\.\s*)?read\s*\(/ ascii
		$x1 = /(^|[^\w.])(exec|eval)\s*\(\s*[\w.]{0,40}(decrypt|xor|b64decode|b32decode|unhexlify|decompress|a2b_base64|fromhex)\w*\s*\(/ ascii
		$x2 = /(^|[^\w.])(exec|eval)\s*\(\s*(marshal|pickle|dill|cPickle)\s*\.\s*loads\s*\(/ ascii
		$x3 = /\b(pickle|cPickle|dill|marshal)\s*\.\s*loads\s*\(\s*([\w.]{0,30}(b64decode|decompress|unhexlify|decrypt)\s*\(\s*)?(request\s*\.\s*(args|form|values|json|data|body|get_data|GET|POST|cookies)|self\s*\.\s*request\s*\.\s*body|self\s*\.\s*get_argument)/ ascii
	condition:
		filesize < 1MB and $fw and any of ($in*) and any of ($x*)
}

rule RASOAT_Python_Exposed_Handler_Shell
{
	meta:
		description = "Python: a CherryPy exposed handler or a web.py page whose request values (handler keyword arguments, web.input()) are run in a shell (os.popen/os.system/getoutput of a variable, shell=True)"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$cp = /@cherrypy\s*\.\s*expose[^\n]*\n\s*def\s+\w+\s*\(\s*self\s*,\s*[A-Za-z_][^)\n]{0,80}\)\s*:[^@]{0,400}(os\s*\.\s*(popen|system)\s*\(\s*[A-Za-z_]|getoutput\s*\(\s*[A-Za-z_]|shell\s*=\s*True)/ ascii
		$wp = /\bweb\s*\.\s*input\s*\([^@]{0,400}(os\s*\.\s*(popen|system)\s*\(\s*[A-Za-z_]|getoutput\s*\(\s*[A-Za-z_]|shell\s*=\s*True)/ ascii
	condition:
		filesize < 500KB and any of them
}
