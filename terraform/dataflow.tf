locals {
  # Every key is a GardenerOptions option (checked by a test).
  pipeline_parameters = merge(
    {
      subscription           = google_pubsub_subscription.pipeline.id
      bigQueryDataset        = "${var.project_id}:${google_bigquery_dataset.gardener.dataset_id}"
      windowMinutes          = tostring(var.window_minutes)
      allowedLatenessMinutes = tostring(var.allowed_lateness_minutes)
      earlyFiringSeconds     = tostring(var.early_firing_seconds)
      minSeverity            = var.min_severity
    },
    var.github_repo == "" ? {} : {
      githubRepo                 = var.github_repo
      githubApiUrl               = var.github_api_url
      githubTokenSecret          = "${google_secret_manager_secret.github_token.id}/versions/latest"
      githubMinPriority          = var.github_min_priority
      githubCommentCooldownHours = tostring(var.github_comment_cooldown_hours)
      githubDryRun               = tostring(var.github_dry_run)
    },
  )
}

# The streaming job. Destroying or replacing it drains it first: in-flight windows are finished
# and written, nothing is lost. A change to the parameters updates the running job in place,
# which keeps its state because the step names are stable.
resource "google_dataflow_flex_template_job" "gardener" {
  provider                = google-beta
  project                 = var.project_id
  region                  = var.region
  name                    = var.name
  container_spec_gcs_path = var.template_gcs_path
  parameters              = local.pipeline_parameters
  on_delete               = "drain"
  service_account_email   = google_service_account.workers.email
  temp_location           = "gs://${var.temp_bucket}/tmp"
  staging_location        = "gs://${var.temp_bucket}/staging"
  max_workers             = var.max_workers
  machine_type            = var.machine_type
  enable_streaming_engine = true
  labels                  = var.labels

  depends_on = [
    google_project_iam_member.workers_dataflow,
    google_pubsub_subscription_iam_member.workers_subscribe,
    google_bigquery_dataset_iam_member.workers_write_tables,
    google_project_iam_member.workers_bigquery_jobs,
    google_bigquery_table.cluster_windows,
    google_bigquery_table.service_windows,
    google_bigquery_table.dead_letters,
    google_bigquery_table.fingerprint_aliases,
    google_bigquery_table.fingerprint_templates,
    google_bigquery_table.github_sync,
  ]
}
