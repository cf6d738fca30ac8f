-- published.rejections rows: every rejected file with its rules and a bilingual summary.
-- core.ingest_log.reasons holds the validation problems (rule, message_en, message_pt, ...).
SELECT file_name, received_at, partner,
       list_sort(list_distinct(CAST(json_extract_string(reasons, '$[*].rule') AS VARCHAR[])))
           AS rules,
       printf('%d problem(s); first: %s', CAST(json_array_length(reasons) AS BIGINT),
              coalesce(json_extract_string(reasons, '$[0].message_en'), '?')) AS summary_en,
       printf('%d problema(s); primeiro: %s', CAST(json_array_length(reasons) AS BIGINT),
              coalesce(json_extract_string(reasons, '$[0].message_pt'), '?')) AS summary_pt
FROM core.ingest_log
WHERE status = 'rejected'
ORDER BY received_at DESC, file_name;
