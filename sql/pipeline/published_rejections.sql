-- published.rejections rows (before their bilingual summary): every rejected file with its
-- rules, how many problems it had and the first one (rule, row). The summary_en/summary_pt
-- columns are written from these by indicators/rejection_summaries.py with the translation
-- table (indicators/i18n.py: "1 problem", "2 problems"; never "problem(s)").
-- core.ingest_log.reasons holds the validation problems (rule, message_en, message_pt, ...).
-- Nothing from the partner's file is published: not its name (file_name holds the warehouse's
-- opaque ingest number, which analysts look up in the warehouse), not the offending values
-- nor the column headers it wrote; only the rule codes and the row of the first problem.
SELECT printf('ingest #%d', ingest_id) AS file_name, received_at, partner,
       list_sort(list_distinct(CAST(json_extract_string(reasons, '$[*].rule') AS VARCHAR[])))
           AS rules,
       CAST(json_array_length(reasons) AS BIGINT) AS problems,
       coalesce(json_extract_string(reasons, '$[0].rule'), '?') AS first_rule,
       json_extract_string(reasons, '$[0].row') AS first_row
FROM core.ingest_log
WHERE status = 'rejected'
ORDER BY received_at DESC, ingest_id;
