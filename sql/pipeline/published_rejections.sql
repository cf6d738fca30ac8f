-- published.rejections rows: every rejected file with its rules and a bilingual summary.
-- core.ingest_log.reasons holds the validation problems (rule, message_en, message_pt, ...).
-- Nothing from the partner's file is published: not its name (file_name holds the warehouse's
-- opaque ingest number, which analysts look up in the warehouse), not the offending values
-- nor the column headers it wrote; only the rule codes and the row of the first problem.
SELECT printf('ingest #%d', ingest_id) AS file_name, received_at, partner,
       list_sort(list_distinct(CAST(json_extract_string(reasons, '$[*].rule') AS VARCHAR[])))
           AS rules,
       printf('%d problem(s); first: %s%s', CAST(json_array_length(reasons) AS BIGINT),
              coalesce(json_extract_string(reasons, '$[0].rule'), '?'),
              coalesce(', row ' || json_extract_string(reasons, '$[0].row'), '')) AS summary_en,
       printf('%d problema(s); primeiro: %s%s', CAST(json_array_length(reasons) AS BIGINT),
              coalesce(json_extract_string(reasons, '$[0].rule'), '?'),
              coalesce(', linha ' || json_extract_string(reasons, '$[0].row'), '')) AS summary_pt
FROM core.ingest_log
WHERE status = 'rejected'
ORDER BY received_at DESC, ingest_id;
