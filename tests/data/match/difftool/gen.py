#!/usr/bin/env python3
"""Random JGF graph and resource-query command stream for run.sh's differential test.

usage: gen.py SEED DIR  (writes DIR/g.json, DIR/js*.json, DIR/cmds)"""
import json, random, sys, os
def graph(seed, path):
    R=random.Random(seed)
    nodes=[];edges=[];uid=[0]
    def add(t, idx, parent, ppath, size=1, rank=-1, basename=None):
        u=uid[0]; uid[0]+=1
        name=(basename or t)+str(idx)
        p=ppath+'/'+name
        nodes.append({'id':str(u),'metadata':{'type':t,'basename':basename or t,'name':name,'id':idx,'uniq_id':u,'rank':rank,'exclusive':False,'unit':'','size':size,'paths':{'containment':p}}})
        if parent is not None: edges.append({'source':str(parent),'target':str(u),'metadata':{'subsystem':'containment'}})
        return u,p
    c,cp=add('cluster',0,None,'',basename='cl')
    nr=R.randint(1,3); ni=0; ci=0; si=0; gi=0; mi=0
    for r in range(nr):
        ru,rp=add('rack',r,c,cp)
        for n in range(R.randint(1,4)):
            nu,npth=add('node',ni,ru,rp,rank=ni); ni+=1
            for s in range(R.randint(1,2)):
                su,sp=add('socket',si,nu,npth); si+=1
                for k in range(R.randint(2,6)):
                    add('core',ci,su,sp); ci+=1
                for k in range(R.randint(0,2)):
                    add('gpu',gi,su,sp); gi+=1
                if R.random()<0.5:
                    add('memory',mi,su,sp,size=R.choice([2,4,8])); mi+=1
    json.dump({'graph':{'nodes':nodes,'edges':edges}}, open(path,'w'))
def jobspec(R, path):
    kind=R.randint(0,5)
    d=R.choice([0,10,100,3600])
    def core(n): return {'type':'core','count':n}
    if kind==0: res=[{'type':'slot','count':R.randint(1,3),'label':'default','with':[core(R.randint(1,3))]}]
    elif kind==1: res=[{'type':'node','count':R.randint(1,2),'with':[{'type':'slot','count':1,'label':'default','with':[core(R.randint(1,4))]}]}]
    elif kind==2: res=[{'type':'node','count':1,'exclusive':True,'with':[{'type':'slot','count':1,'label':'default','with':[{'type':'socket','count':1,'with':[core(R.randint(1,2))]}]}]}]
    elif kind==3: res=[{'type':'slot','count':1,'label':'default','with':[{'type':'socket','count':1,'with':[core(R.randint(1,3)),{'type':'gpu','count':1}]}]}]
    elif kind==4: res=[{'type':'slot','count':R.randint(1,2),'label':'default','with':[{'type':'node','count':1}]}]
    else: res=[{'type':'cluster','count':1,'with':[{'type':'rack','count':1,'with':[{'type':'node','count':1,'with':[{'type':'slot','count':R.randint(1,2),'label':'default','with':[core(R.randint(1,2))]}]}]}]}]
    js={'version':9999,'resources':res,'attributes':{'system':{'duration':d}},'tasks':[{'command':['app'],'slot':'default','count':{'per_slot':1}}]}
    json.dump(js, open(path,'w'))
def stream(seed, d):
    R=random.Random(seed*7+1)
    cmds=[]; nj=0; jobs=[]
    for i in range(R.randint(5,25)):
        p=f'{d}/js{i}.json'; jobspec(R,p)
        x=R.random()
        if x<0.15 and nj>0:
            cmds.append(f'cancel {R.randint(1,nj)}')
        op=R.choice(['allocate','allocate_orelse_reserve','allocate_orelse_reserve','allocate_with_satisfiability','satisfiability'])
        cmds.append(f'match {op} {p}')
        if op!='satisfiability': nj+=1
    cmds.append('quit')
    open(f'{d}/cmds','w').write('\n'.join(cmds)+'\n')
if __name__=='__main__':
    seed=int(sys.argv[1]); d=sys.argv[2]; os.makedirs(d,exist_ok=True)
    graph(seed, d+'/g.json'); stream(seed, d)
