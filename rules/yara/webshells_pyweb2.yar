/*
 * webshells_pyweb2.yar — Python and Node.js webshell techniques of the
 * sixth round, where the request reaches the sink without a `request.*`
 * accessor next to it: framework routes whose parameters are the request
 * (FastAPI/pydantic models, Flask/Bottle path placeholders, aiohttp
 * handlers) running a shell on a variable; WSGI environ and CGI variables
 * read with os.getenv; Flask memory shells (a route, hook or error handler
 * added at run time by a lambda running a command); Node.js handlers that
 * destructure the request or read a URL's searchParams and hand the value
 * to child_process or eval; web terminals wiring a websocket to a shell;
 * request code written to a file and run by an interpreter. One rule per
 * technique, written for rasoat from the tuning part of the corpus
 * (docs/HUNT.md, "Webshell corpus") and known tradecraft.
 */

rule RASOAT_Python_Web_Route_Shell
{
	meta:
		description = "Python: a web application (FastAPI, Flask, Bottle, aiohttp, Sanic, ...) whose route handlers receive the request as parameters (typed arguments, a pydantic model, path placeholders) and run a shell command held in a variable (shell=True, os.popen/os.system, getoutput, asyncio's create_subprocess_shell)"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$fw = /\b(from|import)\s+(flask|fastapi|bottle|aiohttp|sanic|quart|starlette|litestar|falcon|cherrypy|tornado|django)\b/ ascii
		$rt1 = /@\w+(\s*\.\s*\w+)?\s*\.\s*(route|get|post|put|patch|delete|api_route|websocket)\s*\(\s*(path\s*=\s*)?['"]\/[^'"\n]{0,80}['"]/ ascii
		$rt2 = /\.\s*(add_url_rule|add_get|add_post|add_route|add_api_route)\s*\(\s*['"A-Za-z_]/ ascii
		$rt3 = /\bweb\s*\.\s*(get|post|put|route|view)\s*\(\s*['"]\// ascii
		$x1 = /\b(Popen|check_output|check_call|run|call|getoutput|getstatusoutput)\s*\(\s*[A-Za-z_][\w.]*\s*,[^\n]{0,160}shell\s*=\s*True/ ascii
		$x2 = /\bos\s*\.\s*(popen|system)\s*\(\s*[A-Za-z_][\w.]*\s*\)/ ascii
		$x3 = /\bcreate_subprocess_shell\s*\(\s*[A-Za-z_][\w.]*\s*[,)]/ ascii
		$x4 = /\b(getoutput|getstatusoutput)\s*\(\s*[A-Za-z_][\w.]*\s*\)/ ascii
	condition:
		filesize < 200KB and $fw and any of ($rt*) and any of ($x*)
}

rule RASOAT_Python_Env_Request_Shell
{
	meta:
		description = "Python: a WSGI application or CGI script that reads the request from the WSGI environ or the CGI variables (QUERY_STRING, wsgi.input, HTTP_* headers, os.getenv) and runs it in a shell or as Python code"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$in1 = /\benviron\s*(\.\s*get\s*\(|\[)\s*['"](QUERY_STRING|wsgi\.input|HTTP_[A-Z_]+)['"]/ ascii
		$in2 = /\bos\s*\.\s*getenv\s*\(\s*['"](QUERY_STRING|HTTP_[A-Z_]+)['"]/ ascii
		$web1 = /\bdef\s+\w+\s*\(\s*environ\s*,\s*start_response\s*\)/ ascii
		$web2 = /['"]Content-?[Tt]ype\s*:\s*text\/(html|plain)/ ascii
		$web3 = /\bos\s*\.\s*getenv\s*\(\s*['"]QUERY_STRING['"]/ ascii
		$x1 = /\bos\s*\.\s*(popen|system)\s*\(\s*[A-Za-z_][\w.\[\]'"]*\s*\)/ ascii
		$x2 = /\b(Popen|check_output|check_call|run|call|getoutput|getstatusoutput)\s*\(\s*[A-Za-z_][\w.\[\]'"]*\s*,[^\n]{0,160}shell\s*=\s*True/ ascii
		$x3 = /\b(getoutput|getstatusoutput)\s*\(\s*[A-Za-z_][\w.]*\s*\)/ ascii
		$x4 = /(^|[^\w.])(exec|eval)\s*\(\s*[A-Za-z_]\w*\s*\)/ ascii
		$x5 = /\bpty\s*\.\s*spawn\s*\(/ ascii
	condition:
		filesize < 500KB and any of ($in*) and any of ($web*) and any of ($x*)
}

rule RASOAT_Python_Flask_Memory_Shell
{
	meta:
		description = "Python: a Flask memory shell: a route, before/after-request hook or error handler added at run time (add_url_rule, *_request_funcs, errorhandler) whose lambda runs a command or code from the request (the payload of template-injection and deserialisation attacks)"
		author = "rasoat"
		score = 75
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$inj = /(add_url_rule|_request_funcs|errorhandler|register_error_handler|error_handler_spec|url_value_preprocessors?)[^\n]{0,240}\blambda\b[^\n]{0,240}(popen|system|check_output|getoutput|\bexec|\beval)\s*\(/ ascii
		$req = /\brequest\s*\.\s*(args|form|values|headers|cookies|data|get_data|json)\b/ ascii
	condition:
		filesize < 2MB and $inj and $req
}

rule RASOAT_Node_Request_Handler_Sink
{
	meta:
		description = "Node.js: a request handler ((req, res), (request, reply), a Koa ctx) that takes request fields (destructured, assigned, read from a URL's searchParams or from the body stream, or the URL and headers themselves) and runs them as a command through child_process (a variable, a template string, sh -c, shell: true, the first word of a split line) or as code through eval/new Function/vm"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059.007"
	strings:
		$cp1 = /require\s*\(\s*['"](node:)?child_process['"]\s*\)/ ascii
		$cp2 = /from\s+['"](node:)?child_process['"]/ ascii
		$cp3 = /import\s*\(\s*['"](node:)?child_process['"]\s*\)/ ascii
		$cp4 = /(mainModule\s*\.\s*require|constructor\s*\.\s*_load)\s*\(\s*['"]child_process['"]/ ascii
		$h1 = /\(\s*(req|request)\s*,\s*(res|response|reply|h)\b/ ascii
		$h2 = /\basync\s*\(?\s*ctx\s*(,\s*next\s*)?\)?\s*=>|\bfunction\s*\*?\s*\w*\s*\(\s*ctx\s*(,\s*next\s*)?\)/ ascii
		$rq1 = /\{[^{}\n]{1,80}\}\s*=\s*(req|request|ctx(\s*\.\s*request)?)\s*\.\s*(query|body|params|payload)\b/ ascii
		$rq2 = /\.\s*searchParams\s*\.\s*get\s*\(/ ascii
		$rq3 = /=\s*(req|request|ctx(\s*\.\s*request)?)\s*\.\s*(query|body|params|payload)\s*(\.\s*\w+|\[\s*['"]\w+['"]\s*\])/ ascii
		$rq4 = /url\s*\.\s*parse\s*\(\s*(req|request)\s*\.\s*url\s*,\s*true\s*\)/ ascii
		$rq5 = /\b(req|request)\s*\.\s*on\s*\(\s*['"](data|end)['"]/ ascii
		$x1 = /\b(exec|execSync|spawn|spawnSync|execFile|execFileSync)\s*\(\s*((decodeURIComponent|decodeURI|unescape|String)\s*\(\s*)?(req|request|ctx)\s*\.\s*(query|body|params|payload|request|url|headers|path)\b/ ascii
		$x2 = /\b(exec|execSync)\s*\(\s*[A-Za-z_$][\w$]*(\s*\.\s*[A-Za-z_$][\w$]*|\s*\[\s*['"][\w-]+['"]\s*\]){0,2}\s*[,)]/ ascii
		$x3 = /\b(exec|execSync)\s*\(\s*`[^`\n]{0,80}\$\{/ ascii
		$x4 = /\bspawn(Sync)?\s*\(\s*['"](\/bin\/)?(ba|z)?sh['"]\s*,\s*\[\s*['"]-c['"]\s*,\s*[A-Za-z_$`]/ ascii
		$x5 = /\bspawn(Sync)?\s*\(\s*[A-Za-z_$][\w$.]*\s*,[^\n]{0,120}\bshell\s*:\s*true/ ascii
		$x6 = /\b(spawn|spawnSync|execFile|execFileSync)\s*\(\s*[A-Za-z_$][\w$]*\s*(\.\s*split\s*\([^()\n]{0,8}\)\s*)?(\[\s*0\s*\]|\.\s*shift\s*\(\s*\))/ ascii
		$x7 = /\b(exec|execSync|spawn|spawnSync)\s*\(\s*(url\s*\.\s*parse\s*\(|new\s+URL\s*\(|querystring\s*\.\s*parse\s*\(|qs\s*\.\s*parse\s*\()/ ascii
		$e1 = /(^|[^\w.$])eval\s*\(\s*[A-Za-z_$][\w$]*\s*\)/ ascii
		$e2 = /\bnew\s+Function\s*\(\s*[A-Za-z_$][\w$]*\s*\)\s*\(/ ascii
		$e3 = /\bvm\s*\.\s*(runInNewContext|runInThisContext|runInContext)\s*\(\s*[A-Za-z_$][\w$]*\s*[,)]/ ascii
		$e4 = /((^|[^\w.$])eval|\bnew\s+Function)\s*\(\s*(decodeURIComponent|unescape|atob|Buffer\s*\.\s*from)\s*\(\s*(req|request)\s*\.\s*(url|query|body|headers)\b/ ascii
	condition:
		filesize < 500KB and any of ($h*) and (
			(any of ($cp*) and ($x1 or $x7)) or $e4 or
			(any of ($rq*) and ((any of ($cp*) and any of ($x*)) or any of ($e1, $e2, $e3))))
}

rule RASOAT_Node_Web_Terminal
{
	meta:
		description = "Node.js: a shell (bash/sh/cmd.exe/powershell, through node-pty or child_process) fed with what a websocket or Socket.IO client sends and streamed back (remote terminal over the web)"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.007"
	strings:
		$p1 = /require\s*\(\s*['"](node-pty|@lydell\/node-pty|node-pty-prebuilt(-multiarch)?|@homebridge\/node-pty-prebuilt-multiarch)['"]\s*\)|from\s+['"]node-pty['"]/ ascii
		$p2 = /require\s*\(\s*['"](node:)?child_process['"]\s*\)|from\s+['"](node:)?child_process['"]/ ascii
		$sh = /['"](\/bin\/(ba|z)?sh|\/usr\/bin\/(ba|z)?sh|bash|zsh|cmd\.exe|powershell\.exe|pwsh(\.exe)?)['"]|process\s*\.\s*env\s*\.\s*(SHELL|COMSPEC)\b/ ascii
		$sp = /\.\s*spawn\s*\(/ ascii
		$ws = /require\s*\(\s*['"](socket\.io|ws|express-ws|sockjs|@fastify\/websocket|websocket)['"]\s*\)|from\s+['"](socket\.io|ws|express-ws)['"]|new\s+(WebSocket\.Server|WebSocketServer|Server)\s*\(/ ascii
		$on = /\.\s*on\s*\(\s*['"](message|input|command|cmd|exec|terminal|term|shell|stdin|data)['"]\s*,\s*(async\s*)?(function\s*)?\(?\s*[A-Za-z_$][\w$]*/ ascii
		$wr = /\.\s*(write|stdin\s*\.\s*write)\s*\(\s*[A-Za-z_$][\w$.]*\s*\)/ ascii
		$emit = /\.\s*(emit|send)\s*\(/ ascii
	condition:
		filesize < 500KB and any of ($p*) and $sh and $sp and $ws and $on and $wr and $emit
}

rule RASOAT_Node_Request_Code_File_Run
{
	meta:
		description = "Node.js: a web route that writes code from the request to a file and runs that file with an interpreter (node, python, php, perl, sh) through child_process or shelljs (code-execution webshell)"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003, T1059.007"
	strings:
		$h = /\(\s*(req|request)\s*,\s*(res|response|reply)\b/ ascii
		$rq = /\b(req|request)\s*\.\s*(body|query|params)\s*(\.\s*\w+|\[\s*['"][\w-]+['"]\s*\])/ ascii
		$w = /\bfs\s*\.\s*(writeFile|writeFileSync|promises\s*\.\s*writeFile)\s*\(\s*[A-Za-z_$][\w$.]*\s*,\s*[A-Za-z_$][\w$.]*/ ascii
		$run = /\b(exec|execSync|spawn|spawnSync)\s*\(\s*`[^`\n]{0,60}\b(node|python3?|php|perl|ruby|bash|sh)\s+[^`\n]{0,20}\$\{/ ascii
	condition:
		filesize < 500KB and $h and $rq and $w and $run
}

rule RASOAT_Python_Web_Request_Argv_Exec
{
	meta:
		description = "Python: a web application or HTTP handler that reads the request and runs it as a program through subprocess after splitting it into an argument vector (split on spaces, shlex.split), without a shell"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$fw = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|http\.server|BaseHTTPServer)\b/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|get_json|get_data|query_params|match_info|headers)\b/ ascii
		$in2 = /\bself\s*\.\s*(get_(body_|query_)?argument\s*\(|request\s*\.\s*body\b|rfile\s*\.\s*read\s*\(|path\b)/ ascii
		$in3 = /\b(web\s*\.\s*input|cgi\s*\.\s*FieldStorage)\s*\(/ ascii
		$x1 = /\bsubprocess\s*\.\s*(run|Popen|call|check_output|check_call)\s*\(\s*(shlex\s*\.\s*split\s*\(\s*[A-Za-z_]|[A-Za-z_][\w.\[\]'"]*\s*\.\s*split\s*\()/ ascii
		$sp1 = /\b\w+\s*=\s*(shlex\s*\.\s*split\s*\(\s*[A-Za-z_][\w.\[\]'"]*|[A-Za-z_][\w.\[\]'"]*\s*\.\s*split\s*\(\s*['"] ['"]\s*\))/ ascii
		$sv1 = /\bsubprocess\s*\.\s*(run|Popen|call|check_output|check_call)\s*\(\s*[A-Za-z_]\w*\s*[,)]/ ascii
	condition:
		$fw and any of ($in*) and (($x1 and filesize < 500KB) or ($sp1 and $sv1 and filesize < 40KB))
}

rule RASOAT_Node_WebSocket_Command
{
	meta:
		description = "Node.js: a websocket or Socket.IO server that runs the messages its clients send as commands through child_process and sends the output back"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.007"
	strings:
		$ws = /require\s*\(\s*['"](socket\.io|ws|express-ws|sockjs|@fastify\/websocket|websocket)['"]\s*\)|from\s+['"](socket\.io|ws|express-ws)['"]/ ascii
		$cp = /require\s*\(\s*['"](node:)?child_process['"]\s*\)|from\s+['"](node:)?child_process['"]/ ascii
		$on = /\.\s*on\s*\(\s*['"](message|command|cmd|exec|run|shell|input|execute)['"]\s*,\s*(async\s*)?(function\s*)?\(?\s*[A-Za-z_$][\w$]*/ ascii
		$x1 = /\b(exec|execSync)\s*\(\s*([A-Za-z_$][\w$]*(\s*\.\s*(toString\s*\(\s*\)|\w+))?\s*[,)]|`[^`\n]{0,40}\$\{)/ ascii
		$x2 = /\bspawn(Sync)?\s*\(\s*[A-Za-z_$][\w$.]*\s*,[^\n]{0,120}\bshell\s*:\s*true/ ascii
		$back = /\.\s*(emit|send)\s*\(/ ascii
	condition:
		filesize < 500KB and $ws and $cp and $on and any of ($x*) and $back
}

rule RASOAT_Python_Web_File_Manager
{
	meta:
		description = "Python: a web application or HTTP handler that reads the request and lists, deletes, renames and writes files on the server (file-manager webshell)"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003, T1083, T1105"
	strings:
		$fw = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web|http\.server|BaseHTTPServer|SimpleHTTPServer|cgi)\b/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|files|GET|POST|FILES|get_json|query|query_params)\b/ ascii
		$in2 = /\bself\s*\.\s*(get_(body_|query_)?argument\s*\(|rfile\s*\.\s*read\s*\()/ ascii
		$in3 = /\bcgi\s*\.\s*FieldStorage\s*\(/ ascii
		$ls = /\bos\s*\.\s*(listdir|scandir)\s*\(\s*[A-Za-z_]/ ascii
		$rm = /\b(os\s*\.\s*(remove|unlink)|shutil\s*\.\s*rmtree)\s*\(\s*[A-Za-z_]/ ascii
		$mv = /\b(os\s*\.\s*rename|shutil\s*\.\s*move)\s*\(\s*[A-Za-z_]/ ascii
		$wr = /\bopen\s*\(\s*[A-Za-z_][\w.]*\s*,\s*['"](wb?|ab?)\+?['"]|\.\s*save\s*\(\s*(os\s*\.\s*path\s*\.\s*join\s*\()?[A-Za-z_]/ ascii
	condition:
		filesize < 500KB and $fw and any of ($in*) and $ls and $rm and $mv and $wr
}

rule RASOAT_Node_Request_File_Manager
{
	meta:
		description = "Node.js: a request handler that lists, deletes, renames and writes files at paths taken from the request (file-manager webshell)"
		author = "rasoat"
		score = 60
		mitre_attack = "T1505.003, T1083, T1105"
	strings:
		$h = /\(\s*(req|request)\s*,\s*(res|response|reply)\b/ ascii
		$rq = /\b(req|request)\s*\.\s*(query|body|params)\b/ ascii
		$ls = /\bfs\s*\.\s*(promises\s*\.\s*)?(readdir|readdirSync)\s*\(/ ascii
		$rm = /\bfs\s*\.\s*(promises\s*\.\s*)?(unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync)\s*\(/ ascii
		$mv = /\bfs\s*\.\s*(promises\s*\.\s*)?(rename|renameSync)\s*\(/ ascii
		$wr = /\bfs\s*\.\s*(promises\s*\.\s*)?(writeFile|writeFileSync|createWriteStream)\s*\(/ ascii
	condition:
		filesize < 500KB and $h and $rq and $ls and $rm and $mv and $wr
}

rule RASOAT_Node_Hidden_Child_Process
{
	meta:
		description = "Node.js: the child_process module loaded under a hidden name (pieces joined with +, base64, hex or unicode escapes, a reversed string, String.fromCharCode), the way obfuscated Node.js webshells and back doors hide their command execution"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1027, T1059.007"
	strings:
		$j1 = /require\s*\(\s*['"`](c|ch|chi|chil|child|child_|child_p|child_pr|child_pro|child_proc|child_proce|child_proces)['"`]\s*\+\s*['"`](hild_process|ild_process|ld_process|d_process|_process|process|rocess|ocess|cess|ess|ss|s)['"`]/ ascii
		$b1 = "Y2hpbGRfcHJvY2Vzcw" ascii
		$b2 = "NoaWxkX3Byb2Nlc3" ascii
		$b3 = "jaGlsZF9wcm9jZXNz" ascii
		$h1 = "\\x63\\x68\\x69\\x6c\\x64\\x5f" ascii nocase
		$h2 = "\\u0063\\u0068\\u0069\\u006c\\u0064" ascii nocase
		$r1 = "ssecorp_dlihc" ascii
		$c1 = /fromCharCode\s*\(\s*99\s*,\s*104\s*,\s*105\s*,\s*108\s*,\s*100\s*,\s*95/ ascii
		$use = /\b(require|mainModule\s*\.\s*require|_load)\s*\(/ ascii
	condition:
		filesize < 2MB and (($use and any of ($b*, $h*, $r1, $c1)) or $j1)
}

rule RASOAT_Python_Hidden_Command_Call
{
	meta:
		description = "Python: os/subprocess command functions reached under a hidden name (__import__ or getattr of names joined with +, reversed with [::-1], or decoded from base64/hex), the way obfuscated Python webshells and back doors hide their command execution"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1027, T1059.006"
	strings:
		$i1 = /__import__\s*\(\s*['"](o|s|su|sub|subp|subpr|subpro|subproc|subproce|subproces|p|pt)['"]\s*\+\s*['"]/ ascii
		$g1 = /getattr\s*\(\s*(__import__\s*\([^()\n]{1,60}\)|os|subprocess)\s*,\s*['"](s|sy|sys|syst|syste|p|po|pop|pope|c|ch|che|chec|check|check_|ge|get|geto|getou|getoutp|getoutpu)['"]\s*\+\s*['"]/ ascii
		$r1 = /['"](metsys|nepop|tuptuo_kcehc|tuptuoteg|so|ssecorpbus)['"]\s*\[\s*::\s*-1\s*\]/ ascii
		$d1 = /__import__\s*\(\s*(base64\s*\.\s*b64decode|codecs\s*\.\s*decode|bytes\s*\.\s*fromhex|binascii\s*\.\s*unhexlify)\s*\(/ ascii
		$d2 = /getattr\s*\([^,\n]{1,60},\s*(base64\s*\.\s*b64decode|codecs\s*\.\s*decode|bytes\s*\.\s*fromhex|binascii\s*\.\s*unhexlify)\s*\(/ ascii
	condition:
		filesize < 2MB and any of them
}

rule RASOAT_Python_Request_Path_Command
{
	meta:
		description = "Python: a shell or program run directly on the request's path, headers or cookies (self.path of an HTTP handler, request.path/headers/cookies of a web framework), optionally URL-decoded first"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$x = /\b(os\s*\.\s*(popen|system)|getoutput|getstatusoutput|check_output|Popen|run|call)\s*\(\s*((urllib\s*\.\s*)?(parse\s*\.\s*)?unquote(_plus)?\s*\(\s*)?(self\s*\.\s*(path|headers)|request\s*\.\s*(path|full_path|headers|cookies|environ))\b/ ascii
	condition:
		filesize < 2MB and $x
}
