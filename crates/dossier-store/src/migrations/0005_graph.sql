-- dossier store, schema 5: indexes for the graph reads of `dossier serve`. A node's
-- edges are read best first (most evidence) straight from the index, so an ego network
-- costs the edges it shows, not the hub's degree; a fact's dominant modality is read
-- from the evidence index alone.

CREATE INDEX facts_subject_rank ON facts(subject, n_evidence DESC);
CREATE INDEX facts_object_rank ON facts(object, n_evidence DESC);
CREATE INDEX facts_where ON facts(where_id);
CREATE INDEX evidence_fact_modality ON evidence(fact_id, modality, source_id);
