/*
 * webshells_pynode.yar — Python and Node.js webshell techniques beyond the
 * direct "request field handed to a sink" forms of webshells_script.yar:
 * the request reaching the sink through a variable or a helper function,
 * stand-alone HTTP servers built on the standard library, terminals served
 * over a websocket, and request text compiled as a module. One rule per
 * technique, written for rasoat from the tuning part of the corpus
 * (docs/HUNT.md, "Webshell corpus") and known tradecraft.
 */

rule RASOAT_Python_HTTP_Handler_Shell
{
	meta:
		description = "Python: a stand-alone HTTP server (a BaseHTTPRequestHandler/SimpleHTTPRequestHandler subclass) that takes a command from the request path or body and runs it in a shell"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$cls = /class\s+\w+\s*\(\s*([\w.]+\.)?(Base|Simple)HTTPRequestHandler\s*\)/ ascii
		$do = /def\s+do_(GET|POST|PUT)\s*\(\s*self/ ascii
		$in1 = /self\s*\.\s*rfile\s*\.\s*read\s*\(/ ascii
		$in2 = /(urlparse|parse_qs|unquote(_plus)?)\s*\(\s*self\s*\.\s*path/ ascii
		$in3 = /parse_qs\s*\(/ ascii
		$in4 = /\b\w+\s*=\s*self\s*\.\s*path\s*(\.\s*(strip|lstrip|rstrip|replace|split|partition)\s*\(|\[)/ ascii
		$x1 = /subprocess\s*\.\s*(check_output|Popen|run|call|getoutput|getstatusoutput)\s*\([^\n]{0,200}shell\s*=\s*True/ ascii
		$x2 = /os\s*\.\s*(system|popen)\s*\(/ ascii
		$x3 = /subprocess\s*\.\s*(getoutput|getstatusoutput)\s*\(/ ascii
		$out = /self\s*\.\s*wfile\s*\.\s*write\s*\(/ ascii
	condition:
		filesize < 500KB and $cls and $do and any of ($in*) and any of ($x*) and $out
}

rule RASOAT_Python_WebSocket_Terminal
{
	meta:
		description = "Python: a shell process (bash/sh/cmd.exe) started by a web application and fed with what a websocket or Socket.IO client sends (remote terminal over the web)"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$w1 = /\b(from|import)\s+(flask_socketio|socketio|fastapi|aiohttp|tornado|websockets|starlette|flask_sock)\b/ ascii
		$r1 = /websocket\s*\.\s*receive(_text|_bytes|_json)?\s*\(/ ascii
		$r2 = /@\w+\s*\.\s*on\s*\(\s*['"](input|command|cmd|exec|shell|pty-input|init)['"]/ ascii
		$r3 = /\b(ws|websocket|socket)\s*\.\s*(receive|recv|receive_str)\s*\(/ ascii
		$r4 = /def\s+on_message\s*\(\s*self\s*,/ ascii
		$p1 = /(subprocess\s*\.\s*Popen|asyncio\s*\.\s*create_subprocess_(shell|exec)|pty\s*\.\s*(fork|spawn)|pexpect\s*\.\s*spawn|\bCommand\s*\()\s*\(?/ ascii
		$sh1 = /["'](\/bin\/(ba|z)?sh|\/usr\/bin\/(ba|z)?sh|bash|cmd\.exe|powershell(\.exe)?)["']/ ascii
		$sh2 = /shell\s*=\s*True/ ascii
		$sh3 = /(Run|run)\s+arbitrary\s+shell/ ascii nocase
		$in = /\.\s*stdin\s*\.\s*write\s*\(|os\s*\.\s*write\s*\(\s*\w*fd/ ascii
	condition:
		filesize < 500KB and $w1 and any of ($r*) and $p1 and any of ($sh*) and $in
}

rule RASOAT_Node_Request_Variable_Exec
{
	meta:
		description = "Node.js: a web server (http.createServer, Express/Koa routes) that takes a value from the request (query, body, params, a parsed URL) and runs it through child_process or shelljs held in a variable or helper"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059.007"
	strings:
		$cp1 = /require\s*\(\s*['"](node:)?child_process['"]\s*\)/ ascii
		$cp2 = /from\s+['"](node:)?child_process['"]/ ascii
		$sj = /require\s*\(\s*['"]shelljs['"]\s*\)/ ascii
		$srv1 = /\b(https?\s*\.\s*)?createServer\s*\(/ ascii
		$srv2 = /\b(express|koa|fastify)\s*\(\s*\)/ ascii
		$srv3 = /\b(app|router)\s*\.\s*(get|post|all|use)\s*\(\s*['"]/ ascii
		$rq1 = /\b(req|request|ctx)\s*\.\s*(query|body|params)\s*(\.\s*\w+|\[)/ ascii
		$rq2 = /url\s*\.\s*parse\s*\(\s*(req|request)\s*\.\s*url\s*,\s*true\s*\)/ ascii
		$rq3 = /\b(qs|querystring)\s*\.\s*parse\s*\(\s*\w+\s*\)\s*(\.\s*\w+|;)/ ascii
		$rq4 = /\.\s*query\s*(\.\s*(cmd|command|c|exec|code|shell)\b|\[\s*['"](cmd|command|c|exec|code|shell)['"]\s*\])/ ascii
		$x1 = /\b(exec|execSync|spawn|spawnSync)\s*\(\s*[A-Za-z_$][\w$]*\s*[,)]/ ascii
		$x2 = /\.\s*exec\s*\(\s*(req|request)\s*\.\s*(query|body|params)/ ascii
		$out = /(res|response|ctx)\s*\.\s*(send|end|write|writeHead|json|body|render)\b/ ascii
	condition:
		filesize < 500KB and (($cp1 or $cp2) and $x1 or $sj and $x2) and any of ($srv*) and any of ($rq*) and $out
}

rule RASOAT_Node_Request_Module_Compile
{
	meta:
		description = "Node.js: request data compiled and run as code through Module._compile, vm.Script, vm.compileFunction or vm.runInContext (code-evaluation webshell)"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1059.007"
	strings:
		$c1 = /\._compile\s*\(\s*(req|request|ctx)\s*\.\s*(body|query|params|request)\b/ ascii
		$c2 = /new\s+vm\s*\.\s*Script\s*\(\s*(req|request|ctx)\s*\.\s*(body|query|params)\b/ ascii
		$c3 = /vm\s*\.\s*(compileFunction|runInContext)\s*\(\s*(req|request|ctx)\s*\.\s*(body|query|params)\b/ ascii
		$mod = /require\s*\(\s*['"](module|vm)['"]\s*\)/ ascii
	condition:
		filesize < 500KB and $mod and any of ($c*)
}
