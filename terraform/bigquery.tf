locals {
  # The tables' one definition: the schema files the Java code reads.
  schema_dir = "${path.module}/../src/main/resources/schema"
  dataset    = "${var.project_id}.${google_bigquery_dataset.gardener.dataset_id}"
}

# The views' texts: the shipped SQL with its table placeholders qualified (see sql/main.tf).
module "sql" {
  source  = "./sql"
  dataset = local.dataset
}

resource "google_bigquery_dataset" "gardener" {
  project     = var.project_id
  dataset_id  = var.dataset_id
  location    = var.dataset_location
  description = "Log Gardener: clusters per window, dead letters, fingerprint merges and GitHub decisions."
  labels      = var.labels
}

resource "google_bigquery_table" "cluster_windows" {
  project             = var.project_id
  dataset_id          = google_bigquery_dataset.gardener.dataset_id
  table_id            = "cluster_windows"
  schema              = file("${local.schema_dir}/cluster_windows.json")
  clustering          = ["fingerprint"]
  deletion_protection = var.deletion_protection
  labels              = var.labels

  time_partitioning {
    type  = "DAY"
    field = "window_start"
  }
}

resource "google_bigquery_table" "service_windows" {
  project             = var.project_id
  dataset_id          = google_bigquery_dataset.gardener.dataset_id
  table_id            = "service_windows"
  schema              = file("${local.schema_dir}/service_windows.json")
  clustering          = ["service"]
  deletion_protection = var.deletion_protection
  labels              = var.labels

  time_partitioning {
    type  = "DAY"
    field = "window_start"
  }
}

resource "google_bigquery_table" "dead_letters" {
  project             = var.project_id
  dataset_id          = google_bigquery_dataset.gardener.dataset_id
  table_id            = "dead_letters"
  schema              = file("${local.schema_dir}/dead_letters.json")
  clustering          = ["reason"]
  deletion_protection = var.deletion_protection
  labels              = var.labels

  time_partitioning {
    type  = "DAY"
    field = "received_at"
  }
}

resource "google_bigquery_table" "fingerprint_aliases" {
  project             = var.project_id
  dataset_id          = google_bigquery_dataset.gardener.dataset_id
  table_id            = "fingerprint_aliases"
  schema              = file("${local.schema_dir}/fingerprint_aliases.json")
  deletion_protection = var.deletion_protection
  labels              = var.labels
}

resource "google_bigquery_table" "fingerprint_templates" {
  project             = var.project_id
  dataset_id          = google_bigquery_dataset.gardener.dataset_id
  table_id            = "fingerprint_templates"
  schema              = file("${local.schema_dir}/fingerprint_templates.json")
  deletion_protection = var.deletion_protection
  labels              = var.labels
}

resource "google_bigquery_table" "github_sync" {
  project             = var.project_id
  dataset_id          = google_bigquery_dataset.gardener.dataset_id
  table_id            = "github_sync"
  schema              = file("${local.schema_dir}/github_sync.json")
  clustering          = ["fingerprint"]
  deletion_protection = var.deletion_protection
  labels              = var.labels

  time_partitioning {
    type  = "DAY"
    field = "synced_at"
  }
}

# The current count per fingerprint and window: the latest attempt of every run, its latest
# pane per window, summed over runs.
resource "google_bigquery_table" "clusters_latest" {
  project             = var.project_id
  dataset_id          = google_bigquery_dataset.gardener.dataset_id
  table_id            = "clusters_latest"
  deletion_protection = false
  labels              = var.labels

  view {
    query          = module.sql.views["clusters_latest"]
    use_legacy_sql = false
  }

  depends_on = [google_bigquery_table.cluster_windows]
}

# One row per problem and window: clusters_latest with merged fingerprints under the survivor.
resource "google_bigquery_table" "problems_latest" {
  project             = var.project_id
  dataset_id          = google_bigquery_dataset.gardener.dataset_id
  table_id            = "problems_latest"
  deletion_protection = false
  labels              = var.labels

  view {
    query          = module.sql.views["problems_latest"]
    use_legacy_sql = false
  }

  depends_on = [
    google_bigquery_table.clusters_latest,
    google_bigquery_table.fingerprint_aliases,
  ]
}

# The analyst queries as views.
resource "google_bigquery_table" "analyst" {
  for_each            = toset(module.sql.analyst)
  project             = var.project_id
  dataset_id          = google_bigquery_dataset.gardener.dataset_id
  table_id            = each.value
  deletion_protection = false
  labels              = var.labels

  view {
    query          = module.sql.views[each.value]
    use_legacy_sql = false
  }

  depends_on = [
    google_bigquery_table.problems_latest,
    google_bigquery_table.dead_letters,
    google_bigquery_table.github_sync,
  ]
}
