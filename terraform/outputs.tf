output "topic" {
  description = "The Pub/Sub topic the log sink publishes to (scripts/publish can publish to it too)."
  value       = google_pubsub_topic.logs.id
}

output "subscription" {
  description = "The pipeline's subscription."
  value       = google_pubsub_subscription.pipeline.id
}

output "dead_letter_topic" {
  description = "Where Pub/Sub puts messages the pipeline never acknowledged."
  value       = google_pubsub_topic.dead_letter.id
}

output "sink_writer_identity" {
  description = "The log sink's own identity, publisher on the topic."
  value       = google_logging_project_sink.logs.writer_identity
}

output "dataset" {
  description = "The BigQuery dataset, as --bigQueryDataset takes it."
  value       = "${var.project_id}:${google_bigquery_dataset.gardener.dataset_id}"
}

output "workers_service_account" {
  description = "The Dataflow workers' service account."
  value       = google_service_account.workers.email
}

output "github_token_secret" {
  description = "Secret Manager secret for the GitHub token; add a version with gcloud."
  value       = google_secret_manager_secret.github_token.id
}

output "job_id" {
  description = "The Dataflow job."
  value       = google_dataflow_flex_template_job.gardener.job_id
}
