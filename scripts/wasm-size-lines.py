# Sums code bytes per source file and line from `llvm-dwarfdump --debug-line` output of a Wasm module.
# Usage: wasm-size-lines.py DUMP [files [lines]] (called by wasm-size-lines.sh).
import re,sys,collections
# parse llvm-dwarfdump --debug-line: per line-table, file names then rows; attribute bytes to file:line
lines=open(sys.argv[1]).read().split("\n")
tables=[];cur=None
dirs={}
for l in lines:
    if l.startswith("debug_line["):
        cur={"files":{},"dirs":{},"rows":[]};tables.append(cur);mode=None;continue
    m=re.match(r'include_directories\[\s*(\d+)\] = "(.*)"',l)
    if m: cur["dirs"][int(m.group(1))]=m.group(2);continue
    m=re.match(r'file_names\[\s*(\d+)\]:',l)
    if m: fi=int(m.group(1));continue
    m=re.match(r'\s+name: "(.*)"',l)
    if m: cur["files"][fi]=[m.group(1),0];continue
    m=re.match(r'\s+dir_index: (\d+)',l)
    if m: cur["files"][fi][1]=int(m.group(1));continue
    m=re.match(r'0x([0-9a-f]{16})\s+(\d+)\s+(\d+)\s+(\d+)\s.*?(end_sequence)?\s*$',l)
    if m: cur["rows"].append((int(m.group(1),16),int(m.group(2)),int(m.group(4)),bool(m.group(5))))
perfile=collections.Counter();perline=collections.Counter()
for t in tables:
    rows=t["rows"]
    for i in range(len(rows)-1):
        a,ln,f,end=rows[i]
        if end: continue
        n=rows[i+1][0]-a
        if n<=0 or n>100000: continue
        fn,di=t["files"].get(f,["?",0]);d=t["dirs"].get(di,"")
        path=d+"/"+fn
        path=re.sub(r'.*/(crates/|library/|registry/src/[^/]+/)', r'\1', path)
        perfile[path]+=n;perline[(path,ln)]+=n
tot=sum(perfile.values())
print("total",tot)
for p,n in perfile.most_common(int(sys.argv[2]) if len(sys.argv)>2 else 60): print(f"{n:8d} {100*n/tot:5.1f}% {p}")
if len(sys.argv)>3 and int(sys.argv[3])>0:
    for (p,ln),n in perline.most_common(int(sys.argv[3])): print(f"{n:7d} {p}:{ln}")
