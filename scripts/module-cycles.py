#!/usr/bin/env python3
"""Prints the import cycles among a crate's top-level modules, and each module's imports.

    python3 scripts/module-cycles.py crates/dateline-web/src

A module is a top-level file or folder of the crate; an import is any `crate::name` outside
`#[cfg(test)]`. Issue 13 asks for a web crate whose modules point one way; today `state` sits
in one knot with the handlers, the caches and the error page. When the knot is untied, CI
should run this and fail on any cycle.
"""
import os,re,sys
root=sys.argv[1]
mods={}
for dirpath,_,files in os.walk(root):
    for f in files:
        if not f.endswith('.rs'): continue
        p=os.path.join(dirpath,f)
        rel=os.path.relpath(p,root)
        top=rel.split('/')[0].replace('.rs','')
        if top in ('lib','main'): top='(root)'
        text=open(p).read()
        text=text.split('#[cfg(test)]')[0]
        refs=set(re.findall(r'crate::([a-z_]+)',text))
        mods.setdefault(top,set()).update(r for r in refs if r!=top)
# tarjan
index={};low={};stack=[];on=set();sccs=[];i=[0]
def strong(v):
    index[v]=low[v]=i[0];i[0]+=1;stack.append(v);on.add(v)
    for w in mods.get(v,()):
        if w not in mods: continue
        if w not in index: strong(w);low[v]=min(low[v],low[w])
        elif w in on: low[v]=min(low[v],index[w])
    if low[v]==index[v]:
        comp=[]
        while True:
            w=stack.pop();on.discard(w);comp.append(w)
            if w==v: break
        if len(comp)>1: sccs.append(sorted(comp))
for v in list(mods):
    if v not in index: strong(v)
for c in sccs: print("cycle:", c)
for m in sorted(mods): print(m, "->", sorted(x for x in mods[m] if x in mods))
