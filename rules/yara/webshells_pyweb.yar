/*
 * webshells_pyweb.yar — Python and Node.js webshell techniques of the fifth
 * round: the request of any common Python web framework (Flask, Bottle,
 * Django, Tornado, aiohttp, FastAPI, ...) reaching a shell through a helper,
 * an imported Popen or an explicit "sh -c" argument vector, or Python code
 * in a variable run by exec/eval; programs answering HTTP by hand on a
 * socket or on inetd's stdin and running what the request line carries;
 * Python code hidden behind decode-then-exec chains; and the Node.js forms:
 * HTTP-to-TCP tunnels, request code run through a variable by eval/new
 * Function/vm, request-named file writes. One rule per technique, written
 * for rasoat from the tuning part of the corpus (docs/HUNT.md, "Webshell
 * corpus") and known tradecraft.
 */

rule RASOAT_Python_Web_Request_Shell
{
	meta:
		description = "Python: a web application (Flask, Bottle, Django, Tornado, aiohttp, FastAPI, ...) that reads the request and runs a shell command held in a variable (shell=True through an imported Popen or a helper, an explicit sh -c/cmd /c/powershell -Command argument vector, getoutput, os.popen/os.system of a variable)"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$fw = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web)\b/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|get_json|get_data|query_params|match_info)\b/ ascii
		$in2 = /\bself\s*\.\s*get_(body_|query_)?argument\s*\(/ ascii
		$in3 = /\bself\s*\.\s*request\s*\.\s*body\b/ ascii
		$x1 = /\b(Popen|check_output|check_call|getoutput|getstatusoutput)\s*\([^\n]{0,200}shell\s*=\s*True/ ascii
		$x2 = /\[\s*['"](\/usr)?(\/bin\/)?(ba|z|da)?sh['"]\s*,\s*['"]-c['"]\s*,\s*[A-Za-z_][\w.]*\s*\]/ ascii
		$x3 = /\[\s*['"](cmd|cmd\.exe|powershell|powershell\.exe|pwsh)['"]\s*,\s*['"](\/c|\/C|-c|-Command|-command)['"]\s*,\s*[A-Za-z_][\w.]*\s*\]/ ascii
		$x4 = /\b(getoutput|getstatusoutput)\s*\(\s*[A-Za-z_][\w.]*\s*\)/ ascii
		$x5 = /\bos\s*\.\s*(popen|system)\s*\(\s*[A-Za-z_][\w.]*\s*[,)]/ ascii
	condition:
		filesize < 1MB and $fw and any of ($in*) and any of ($x*)
}

rule RASOAT_Python_Web_Request_Eval
{
	meta:
		description = "Python: a small web application (Flask, Bottle, Django, Tornado, aiohttp, FastAPI, ...) that reads the request and runs Python code held in a variable with exec, eval or exec(compile(...)) (code-evaluation webshell)"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$fw = /\b(from|import)\s+(flask|bottle|django|tornado|aiohttp|fastapi|cherrypy|falcon|sanic|quart|starlette|pyramid|web)\b/ ascii
		$in1 = /\brequest\s*\.\s*(args|form|forms|values|json|data|body|query|params|GET|POST|get_json|get_data|query_params|match_info)\b/ ascii
		$in2 = /\bself\s*\.\s*get_(body_|query_)?argument\s*\(/ ascii
		$in3 = /\bself\s*\.\s*request\s*\.\s*body\b/ ascii
		$ev1 = /(^|[^\w.])(exec|eval)\s*\(\s*[A-Za-z_]\w*\s*[,)]/ ascii
		$ev2 = /(^|[^\w.])(exec|eval)\s*\(\s*compile\s*\(\s*[A-Za-z_]\w*\s*,/ ascii
	condition:
		filesize < 30KB and $fw and any of ($in*) and any of ($ev*)
}

rule RASOAT_Python_Raw_HTTP_Shell
{
	meta:
		description = "Python: a program that answers HTTP by hand (a literal HTTP/1.x 200 status line written to a socket or to inetd's stdout), parses the request line it read itself and runs a shell"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1059.006"
	strings:
		$st = /b?['"]HTTP\/1\.[01] 200/ ascii
		$rq1 = /\.split\s*\(\s*b?['"]\\r\\n['"]\s*\)/ ascii
		$rq2 = /\bos\s*\.\s*read\s*\(\s*0\s*,/ ascii
		$rq3 = /['"](GET|POST) \/?['"]|['"](GET|POST)['"]\s+(not\s+)?in\b|\.startswith\s*\(\s*b?['"](GET|POST) / ascii
		$sh1 = /\bos\s*\.\s*exec[lv]p?e?\s*\(\s*['"](\/bin\/)?(ba)?sh['"]/ ascii
		$sh2 = /\bos\s*\.\s*(popen|system)\s*\(\s*[A-Za-z_]/ ascii
		$sh3 = /\b(Popen|check_output|run|call|getoutput)\s*\([^\n]{0,200}shell\s*=\s*True/ ascii
		$sh4 = /\bpty\s*\.\s*spawn\s*\(/ ascii
		$sh5 = /\bos\s*\.\s*exec[lv]p?e?\s*\([^\n]{0,40}\[\s*[A-Za-z_][\w.]*\s*,\s*['"]-c['"]\s*,\s*[A-Za-z_][\w.]*\s*\]/ ascii
	condition:
		filesize < 500KB and $st and ($rq1 or $rq2) and $rq3 and any of ($sh*)
}

rule RASOAT_Python_Decoded_Exec_Chain
{
	meta:
		description = "Python: code kept encoded (base64/base32/hex/zlib/marshal/rot13) and run by exec/eval of the decoder's output, the form Python webshells, droppers and packers take to hide their body"
		author = "rasoat"
		score = 60
		mitre_attack = "T1027, T1059.006, T1505.003"
	strings:
		$e1 = /\b(exec|eval)\s*\(\s*((zlib|bz2|lzma)\s*\.\s*decompress|base64\s*\.\s*(b64|b32|b16|b85|a85|urlsafe_b64)decode|marshal\s*\.\s*loads|codecs\s*\.\s*decode|bytes\s*\.\s*fromhex|binascii\s*\.\s*(unhexlify|a2b_base64|a2b_hex)|__import__\s*\(\s*['"](base64|zlib|marshal|codecs|binascii|bz2|lzma)['"]\s*\)\s*\.\s*\w+)\s*\(\s*(((zlib|bz2|lzma)\s*\.\s*decompress|base64\s*\.\s*(b64|b32|b16|b85|a85|urlsafe_b64)decode|marshal\s*\.\s*loads|codecs\s*\.\s*decode|bytes\s*\.\s*fromhex|binascii\s*\.\s*(unhexlify|a2b_base64|a2b_hex)|__import__\s*\(\s*['"](base64|zlib|marshal|codecs|binascii|bz2|lzma)['"]\s*\)\s*\.\s*\w+)\s*\(\s*){0,2}b?['"][^'"\n]{60}/ ascii
		$e2 = /\bexec\s*\(\s*\(\s*_+\s*\)\s*\(\s*b?['"][^'"\n]{60}/ ascii
	condition:
		filesize < 2MB and any of ($e*)
}

rule RASOAT_Node_HTTP_Socket_Tunnel
{
	meta:
		description = "Node.js: an HTTP handler that opens TCP connections to hosts the request names and relays base64-wrapped request bodies to them and their answers back (reGeorg/Neo-reGeorg-style tunnel webshell for pivoting)"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1090.001, T1572"
	strings:
		$srv1 = /\b(createServer|app\s*\.\s*(all|post|use))\s*\(/ ascii
		$srv2 = /\bimport\s*\(\s*['"](node:)?https?['"]\s*\)|require\s*\(\s*['"](node:)?https?['"]\s*\)/ ascii
		$body = /\b(req|request)\s*\.\s*on\s*\(\s*['"]data['"]/ ascii
		$net1 = /\bnet\s*\.\s*(createConnection|connect)\s*\(/ ascii
		$net2 = /new\s+net\s*\.\s*Socket\s*\(/ ascii
		$dec = /Buffer\s*\.\s*from\s*\([^)\n]{1,80},\s*['"]base64['"]\s*\)/ ascii
		$enc = /\.toString\s*\(\s*['"]base64['"]\s*\)/ ascii
		$relay = /\.\s*write\s*\(\s*\w+/ ascii
	condition:
		filesize < 500KB and any of ($srv*) and $body and any of ($net*) and $dec and $enc and $relay
}

rule RASOAT_Node_Request_Eval_Variable
{
	meta:
		description = "Node.js: a web server that collects the request body or a request field into a variable and runs it as code with eval, new Function or the vm module (code-evaluation webshell)"
		author = "rasoat"
		score = 70
		mitre_attack = "T1505.003, T1059.007"
	strings:
		$srv1 = /\b(https?\s*\.\s*)?createServer\s*\(/ ascii
		$srv2 = /\b(app|router|server|fastify)\s*\.\s*(get|post|all|use|route)\s*\(\s*['"]/ ascii
		$in1 = /\b(req|request)\s*\.\s*on\s*\(\s*['"]data['"]/ ascii
		$in2 = /=\s*(req|request|ctx(\s*\.\s*request)?)\s*\.\s*(query|body|params)\s*(\.\s*\w+|\[\s*['"]\w+['"]\s*\])?\s*[;,\n]/ ascii
		$in3 = /=\s*url\s*\.\s*parse\s*\(\s*(req|request)\s*\.\s*url\s*,\s*true\s*\)/ ascii
		$ev1 = /(^|[^\w.$])eval\s*\(\s*[A-Za-z_$][\w$]*\s*\)/ ascii
		$ev2 = /\bnew\s+Function\s*\(\s*[A-Za-z_$][\w$]*\s*\)\s*\(/ ascii
		$ev3 = /\bvm\s*\.\s*(runInNewContext|runInThisContext|runInContext)\s*\(\s*[A-Za-z_$][\w$]*\s*[,)]/ ascii
		$out = /\b(res|response|ctx)\s*\.\s*(send|end|write|json|body)\b/ ascii
	condition:
		filesize < 500KB and any of ($srv*) and any of ($in*) and any of ($ev*) and $out
}

rule RASOAT_Node_Request_File_Write
{
	meta:
		description = "Node.js: a web route writing a file whose path and content both come from the request (query, body, params), the uploader half of a file-manager webshell"
		author = "rasoat"
		score = 65
		mitre_attack = "T1505.003, T1105"
	strings:
		$w1 = /\bfs\s*\.\s*(writeFile|writeFileSync|appendFile|appendFileSync)\s*\(\s*(req|request|ctx(\s*\.\s*request)?)\s*\.\s*(query|body|params)\b[^;\n]{0,120},\s*(req|request|ctx(\s*\.\s*request)?)\s*\.\s*(query|body|params)\b/ ascii
		$w2 = /\bfs\s*\.\s*(writeFile|writeFileSync|appendFile|appendFileSync)\s*\(\s*(path\s*\.\s*(join|resolve)\s*\([^;\n]{0,80})?(req|request)\s*\.\s*(query|body|params)\s*(\.\s*\w+|\[\s*['"]\w+['"]\s*\])\s*\)?\s*,\s*(req|request)\s*\.\s*(query|body|params)\b/ ascii
	condition:
		filesize < 500KB and any of ($w*)
}
