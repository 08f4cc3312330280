# The GitHub token lives here, never in Terraform: add it with
#   printf %s "$TOKEN" | gcloud secrets versions add log-gardener-github-token --data-file=-
resource "google_secret_manager_secret" "github_token" {
  project   = var.project_id
  secret_id = "${var.name}-github-token"
  labels    = var.labels

  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_iam_member" "workers_read_token" {
  project   = var.project_id
  secret_id = google_secret_manager_secret.github_token.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.workers.email}"
}
