# The SQL the project ships (src/main/resources/sql), rendered for one BigQuery dataset: every
# ${table} and ${view} placeholder qualified, ${now} as CURRENT_TIMESTAMP(). This module has no
# provider, so `terraform console` evaluates it without `terraform init`: that is how the tests
# analyze the very texts the views are made from.

variable "dataset" {
  type        = string
  description = "The dataset the views read and live in, as project.dataset."
}

locals {
  sql_dir = "${path.module}/../../src/main/resources/sql"
  tables  = ["cluster_windows", "dead_letters", "fingerprint_aliases", "fingerprint_templates", "github_sync", "service_windows"]
  # Each view reads the tables and the views before it.
  base_views = ["clusters_latest", "problems_latest"]
  analyst    = ["top_clusters_24h", "new_clusters", "regressions", "trend_per_fingerprint", "dead_letters_by_reason", "github_actions"]
  vars = merge(
    { for name in concat(local.tables, local.base_views) : name => "`${var.dataset}.${name}`" },
    { now = "CURRENT_TIMESTAMP()" },
  )
  # A view's text takes no trailing semicolon.
  views = merge(
    { for name in local.base_views : name => trimsuffix(trimspace(templatefile("${local.sql_dir}/${name}.sql", local.vars)), ";") },
    { for name in local.analyst : name => trimsuffix(trimspace(templatefile("${local.sql_dir}/analyst/${name}.sql", local.vars)), ";") },
  )
}

output "views" {
  description = "Every view's name and its BigQuery text."
  value       = local.views
}

output "analyst" {
  description = "The analyst views' names (views over clusters_latest and problems_latest)."
  value       = local.analyst
}
