# Offline prototype of path B: BM25F over sections, character bigrams + ASCII words.
import re,glob,html,math,unicodedata,tomllib,gzip,json,collections,sys,zlib
SITE=sys.argv[1]
def clean(s): return html.unescape(re.sub(r'<[^>]+>',' ',s))
def norm(s):
    s=unicodedata.normalize('NFKC',s).lower()
    return s
FILL=set("怎么办 怎么 什么 有哪些 哪些 哪里 吗 呢 啊 呀 吧 的 了 是 我 要 可以 能 请问 一下 如何 为什么 需要 一个 多少 啥 还 会 不 有 没有 在 和 与 或 是不是 能不能 你们".split())
def tokens(s):
    s=norm(s); out=[]
    for m in re.finditer(r'[0-9a-z]+|[\u4e00-\u9fff]+',s):
        w=m.group()
        if w[0]<'\u4e00': out.append(w)
        elif len(w)==1: out.append(w)
        else: out+= [w[i:i+2] for i in range(len(w)-1)]
    return out
secs=[]
for f in sorted(glob.glob(SITE+'/**/index.html',recursive=True)):
    h=open(f).read(); m=re.search(r'<article data-search-body>(.*?)</article>',h,re.S)
    if not m: continue
    a=m.group(1)
    a=re.sub(r'<nav class="toc".*?</nav>|<p class="updated">.*?</p>|<p class="entry-of">.*?</p>|<a class="anchor".*?</a>|<div class="entries" data-search-ignore="all">.*','',a,flags=re.S)
    url='/'+f[len(SITE)+1:-len('index.html')]
    title=clean(re.search(r'<h1>(.*?)</h1>',a,re.S).group(1)).strip()
    parts=re.split(r'<h[23] id="([^"]+)">(.*?)</h[23]>',a,flags=re.S)
    secs.append(dict(url=url,title=title,page='',body=clean(parts[0].split('</h1>',1)[-1])))
    for i in range(1,len(parts),3):
        secs.append(dict(url=url+'#'+parts[i],title=clean(parts[i+1]).strip(),page=title,body=clean(parts[i+2])))
syn=[("账号","帐号"),("账户","帐号"),("服务商","接入商"),("忘记","忘了"),("找不回","忘了"),("更换","换"),("子域名","二级域名"),("现场核验","当面核验"),("法人","法定代表人"),("多少天","多久"),("多长时间","多久"),("啥","什么"),("公司","单位")]
FIELDS={'title':5.0,'page':3.0,'body':1.0}
B={'title':0.3,'page':0.3,'body':0.75}
N=len(secs); df=collections.Counter(); tf=[]
lens={k:[] for k in FIELDS}
for s in secs:
    t={k:collections.Counter(tokens(s[k])) for k in FIELDS}
    tf.append(t)
    for k in FIELDS: lens[k].append(sum(t[k].values()))
    for term in set().union(*[set(t[k]) for k in FIELDS]): df[term]+=1
avg={k:sum(v)/N for k,v in lens.items()}
def fix_codes(q):
    q=norm(q)
    q=re.sub(r'(?<![a-z])[0-9ol]{4}(?![a-z])',lambda m: m.group().replace('o','0').replace('l','1') if re.search(r'\d',m.group()) or m.group().count('o')+m.group().count('l')>=2 else m.group(),q)
    q=re.sub(r'(?<=\d) +(?=\d)','',q)
    return q
def query_terms(q):
    q=fix_codes(q)
    for a,b in syn: q=q.replace(a,b)
    qs=q
    for f in sorted(FILL,key=len,reverse=True): qs=qs.replace(f,' ')
    main=tokens(qs); allt=tokens(q)
    w={}
    for t in allt: w[t]=0.15
    for t in main: w[t]=1.0
    return w
def search(q,k=10):
    w=query_terms(q); scores=collections.Counter()
    for i,s in enumerate(secs):
        sc=0; hit=0
        for term,qw in w.items():
            if term not in df: continue
            idf=math.log(1+(N-df[term]+0.5)/(df[term]+0.5))
            x=sum(FIELDS[f]*tf[i][f][term]/(1-B[f]+B[f]*lens[f][i]/max(avg[f],1)) for f in FIELDS)
            if x>0: sc+=qw*idf*x/(1.2+x); hit+=qw
        if sc>0:
            tot=sum(w.values()); scores[i]=sc*(0.5+0.5*hit/tot)
    return [secs[i]['url'] for i,_ in scores.most_common(k)]
Q=tomllib.load(open('/work/main/tests/search-eval/questions.toml','rb'))['questions']
t1=t3=0; mrr=0; zero=0; miss=[]
for x in Q:
    r=search(x['q']); rank=next((i+1 for i,u in enumerate(r) if u in x['a']),None)
    if not r: zero+=1
    if rank==1: t1+=1
    if rank and rank<=3: t3+=1
    if rank: mrr+=1/rank
    if rank!=1: miss.append(f"[{rank}] {x['q']} want {x['a'][0]} got {' '.join(r[:3])}")
n=len(Q); print(f"sections {N}; top-1 {100*t1/n:.1f}% top-3 {100*t3/n:.1f}% MRR {mrr/n:.3f} zero {zero}")
if '-v' in sys.argv: print('\n'.join(miss))
# size estimate: postings per term (sec id, packed field tfs) in 64 chunks by hash
post=collections.defaultdict(list)
for i,t in enumerate(tf):
    for term in set().union(*[set(t[k]) for k in FIELDS]): post[term].append([i,t['title'][term],t['page'][term],t['body'][term]])
NCH=int(sys.argv[2]) if len(sys.argv)>2 and sys.argv[2].isdigit() else 64
chunks=collections.defaultdict(dict)
for term,p in post.items(): chunks[zlib.crc32(term.encode())%NCH][term]=p
sz={c:len(gzip.compress(json.dumps(v,ensure_ascii=False,separators=(',',':')).encode())) for c,v in chunks.items()}
docs=[[s['url'],s['title'],s['page']] for s in secs]
dsz=len(gzip.compress(json.dumps(docs,ensure_ascii=False).encode()))
per=[]
for x in Q:
    cs={zlib.crc32(t.encode())%NCH for t in query_terms(x['q'])}
    per.append(sum(sz.get(c,0) for c in cs))
per.sort(); print(f"chunks {NCH}: total {sum(sz.values())/1024:.0f} KB gz, docs {dsz/1024:.1f} KB gz, per query chunks median {per[len(per)//2]/1024:.1f} KB p95 {per[int(len(per)*.95)]/1024:.1f} KB max {per[-1]/1024:.1f}")
