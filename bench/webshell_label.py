#!/usr/bin/env python3
"""bench/webshell_label.py — which Python and Node.js files of the webshell
corpus are webshells by the criterion of docs/HUNT.md ("Labels"), read from
the files' text alone (never from what a scanner reports):

  a webshell is a script that serves web requests (a CGI script, a WSGI/ASGI
  application, a route or handler of a web framework, an http.server /
  http.createServer handler) AND holds a sink a remote operator uses:
  command execution, code evaluation, or file management.

Both halves must be in the same file. Raw-socket bind/reverse shells, the
operator's own client (requests/urllib posting to a shell), exploit scripts,
browser-side JavaScript and libraries fail the first half and are not
webshells by this criterion. The criterion cannot see whether the sink is
fed by request data: a web application running a fixed command passes (it
errs towards keeping files, which lowers recall, never raises it).

Usage: bench/webshell_label.py DIR...   prints the paths (one a line) of the
files under each DIR that meet the criterion; files that are not .py/.js
(other languages keep the extension label) are printed as they are.
"""
import os
import re
import sys

PY_WEB = re.compile(rb"""(
    \bimport\s+cgi\b | \bcgi\s*\.\s*FieldStorage | \bfrom\s+cgi\s+import
  | os\s*\.\s*(environ|getenv)\s*(\.get\s*\(|\[|\()\s*['"](QUERY_STRING|REQUEST_METHOD|CONTENT_LENGTH|HTTP_[A-Z_]+|REMOTE_ADDR)['"]
  | ^\s*print\s*\(?\s*['"]Content-?type\s*:
  | \bdef\s+application\s*\(\s*environ\b | \bwsgiref\b | start_response\s*\(
  | \b(from|import)\s+(flask|django|aiohttp|tornado|bottle|cherrypy|fastapi|starlette|pyramid|falcon|sanic|quart|werkzeug|twisted\.web|web)\b
  | \b(BaseHTTPRequestHandler|SimpleHTTPRequestHandler|CGIHTTPRequestHandler|BaseHTTPServer|CGIHTTPServer|HTTPServer)\b
  | \bhttp\.server\b
  | b?['"]HTTP/1\.[01]\s+\d{3} | ['"](GET|POST)\s+/[^'"\n]{0,40}HTTP/1
)""", re.X | re.M | re.I)
PY_SINK = re.compile(rb"""(
    \bos\s*\.\s*(system|popen[234]?|exec[lv]p?e?|spawn[lv]p?e?|startfile|remove|unlink|rmdir|listdir|scandir|walk|chmod|rename)\s*\(
  | \bsubprocess\b | \bcommands\s*\.\s*get | \bpopen2\b | \bpty\s*\.\s*spawn
  | (?<![\w.])(eval|exec|execfile|compile)\s*\( | \bexec\s+[\w'"(]
  | \bshutil\s*\.\s*(copy|move|rmtree)
  | \bopen\s*\([^)\n]{0,200}['"][wa]b?\+?['"]
  | \.save\s*\(\s*os\.path
)""", re.X)
JS_WEB = re.compile(rb"""(
    \b(https?|require\s*\(\s*['"](node:)?https?['"]\s*\))\s*\.\s*createServer\s*\(
  | require\s*\(\s*['"](express|koa|fastify|restify|@hapi/hapi|hapi|connect|http|https)['"]\s*\)
  | \bfrom\s+['"](express|koa|fastify|node:http|http)['"]
  | \b(app|router|server)\s*\.\s*(get|post|put|all|use|route)\s*\(\s*['"]
  | \(\s*req\s*,\s*res\b | \bctx\s*\.\s*(query|request|body)\b
)""", re.X)
JS_SINK = re.compile(rb"""(
    \bchild_process\b | \b(exec|execSync|spawn|spawnSync|execFile|execFileSync)\s*\( | \bshelljs\b
  | (?<![\w.])eval\s*\( | \._compile\s*\( | \bnew\s+Function\s*\( | \bvm\s*\.\s*(runIn\w+|Script|compileFunction)\b | \brunInThisContext\b
  | \bfs\s*\.\s*(writeFile|writeFileSync|appendFile|unlink|unlinkSync|readdir|readdirSync|rmdir|rename|createWriteStream)\b
)""", re.X)


def is_webshell(path):
    """True when the file meets the criterion (non-.py/.js files: True)."""
    ext = path.rsplit(".", 1)[-1].lower()
    if ext not in ("py", "js"):
        return True
    with open(path, "rb") as f:
        text = f.read(4 << 20)
    web, sink = (PY_WEB, PY_SINK) if ext == "py" else (JS_WEB, JS_SINK)
    return bool(web.search(text)) and bool(sink.search(text))


def main():
    for d in sys.argv[1:]:
        for root, _, files in os.walk(d):
            for name in sorted(files):
                p = os.path.join(root, name)
                if is_webshell(p):
                    print(p)


if __name__ == "__main__":
    main()
