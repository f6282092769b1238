#!/usr/bin/env python3
"""CoNLL-2003 and UNER EWT as CoNLL-U files for training the neural tagger-parser as a
named-entity tagger (an experiment; see models/MODELS.md, "Neural NER experiment").

Each word carries its BIO tag (CoNLL-2003's IOB1 converted to IOB2; UNER's PER/ORG/LOC)
as XPOS and as the relation to the next word (heads form a chain; the last word is the
root), and its entity type (or O) as UPOS. Train: eng.train + the even-numbered UNER dev
documents; dev (epoch choice): eng.testa + the odd ones; test: the odd ones. Also writes
testa, testb, uner_odd and uner_test files for `examples/exp_neural_ner.rs`.

usage: ner_to_conllu.py DATA_DIR OUT_DIR   (DATA_DIR = ../shared/data)
then:  dossier nlp train neural --data OUT_DIR --out MODEL_DIR --epochs 20
"""
import os
import re
import sys
def conll03(path):
    docs=[]; doc=[]; sent=[]
    for line in open(path, encoding='utf-8', errors='replace'):
        line=line.rstrip('\n')
        if line.startswith('-DOCSTART-'):
            if sent: doc.append(sent); sent=[]
            if doc: docs.append(doc); doc=[]
            continue
        if not line.strip():
            if sent: doc.append(sent); sent=[]
            continue
        p=line.split(' ')
        sent.append([p[0], p[-1]])
    if sent: doc.append(sent)
    if doc: docs.append(doc)
    # IOB1 -> IOB2
    for d in docs:
        for s in d:
            prev='O'
            for t in s:
                tag=t[1]
                if tag.startswith('I-'):
                    typ=tag[2:]
                    if prev=='O' or prev[2:]!=typ: tag='B-'+typ
                t[1]=tag; prev=tag
    return docs
def iob2(path):
    docs=[]; doc=[]; sent=[]
    for line in open(path, encoding='utf-8'):
        line=line.rstrip('\n')
        if line.startswith('# newdoc'):
            if sent: doc.append(sent); sent=[]
            if doc: docs.append(doc); doc=[]
            continue
        if line.startswith('#'): continue
        if not line.strip():
            if sent: doc.append(sent); sent=[]
            continue
        p=line.split('\t')
        tag=p[2]
        if tag not in ('O',) and not re.match(r'^[BI]-(PER|ORG|LOC)$', tag): tag='O'
        sent.append([p[1], tag])
    if sent: doc.append(sent)
    if doc: docs.append(doc)
    return docs
def write(path, docs):
    with open(path,'w') as f:
        for d in docs:
            for s in d:
                n=len(s)
                for i,(w,t) in enumerate(s):
                    typ = t[2:] if t!='O' else 'O'
                    head = i+2 if i+1<n else 0
                    rel = t if i+1<n else 'root'
                    w=w.replace(' ','_')
                    f.write(f"{i+1}\t{w}\t{w}\t{typ}\t{t}\t_\t{head}\t{rel}\t_\t_\n")
                f.write('\n')

def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data, out = sys.argv[1].rstrip('/') + '/', sys.argv[2].rstrip('/') + '/'
    os.makedirs(out + 'ud-english-ewt', exist_ok=True)
    tr = conll03(data + 'conll2003/eng.train')
    ta = conll03(data + 'conll2003/eng.testa')
    tb = conll03(data + 'conll2003/eng.testb')
    ud = iob2(data + 'uner-english-ewt/en_ewt-ud-dev.iob2')
    ut = iob2(data + 'uner-english-ewt/en_ewt-ud-test.iob2')
    even = [d for i, d in enumerate(ud) if i % 2 == 0]
    odd = [d for i, d in enumerate(ud) if i % 2 == 1]
    write(out + 'ud-english-ewt/en_ewt-ud-train.conllu', tr + even)
    write(out + 'ud-english-ewt/en_ewt-ud-dev.conllu', ta + odd)
    write(out + 'ud-english-ewt/en_ewt-ud-test.conllu', odd)
    write(out + 'testa.conllu', ta)
    write(out + 'testb.conllu', tb)
    write(out + 'uner_odd.conllu', odd)
    write(out + 'uner_test.conllu', ut)
    print(f"{len(tr)} CoNLL train documents + {len(even)} UNER dev documents; {len(odd)} held out")


if __name__ == '__main__':
    main()
