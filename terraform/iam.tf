# The Dataflow workers' identity, with what the job needs and nothing more.
resource "google_service_account" "workers" {
  project      = var.project_id
  account_id   = "${var.name}-workers"
  display_name = "Log Gardener Dataflow workers"
}

resource "google_project_iam_member" "workers_dataflow" {
  project = var.project_id
  role    = "roles/dataflow.worker"
  member  = "serviceAccount:${google_service_account.workers.email}"
}

# The Flex Template's launcher image comes from Artifact Registry.
resource "google_project_iam_member" "workers_pull_image" {
  project = var.project_id
  role    = "roles/artifactregistry.reader"
  member  = "serviceAccount:${google_service_account.workers.email}"
}

resource "google_pubsub_subscription_iam_member" "workers_subscribe" {
  project      = var.project_id
  subscription = google_pubsub_subscription.pipeline.name
  role         = "roles/pubsub.subscriber"
  member       = "serviceAccount:${google_service_account.workers.email}"
}

resource "google_pubsub_subscription_iam_member" "workers_view_subscription" {
  project      = var.project_id
  subscription = google_pubsub_subscription.pipeline.name
  role         = "roles/pubsub.viewer"
  member       = "serviceAccount:${google_service_account.workers.email}"
}

resource "google_bigquery_dataset_iam_member" "workers_write_tables" {
  project    = var.project_id
  dataset_id = google_bigquery_dataset.gardener.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = "serviceAccount:${google_service_account.workers.email}"
}

resource "google_storage_bucket_iam_member" "workers_temp" {
  bucket = var.temp_bucket
  role   = "roles/storage.objectAdmin"
  member = "serviceAccount:${google_service_account.workers.email}"
}

# A new job reads fingerprint_templates back with an export job (BigQueryIO's table read), so a
# redeploy merges with what earlier jobs learned.
resource "google_project_iam_member" "workers_bigquery_jobs" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = "serviceAccount:${google_service_account.workers.email}"
}
