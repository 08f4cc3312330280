data "google_project" "this" {
  project_id = var.project_id
}

locals {
  pubsub_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_pubsub_topic" "logs" {
  project                    = var.project_id
  name                       = "${var.name}-logs"
  message_retention_duration = "604800s"
  labels                     = var.labels
}

resource "google_pubsub_topic" "dead_letter" {
  project                    = var.project_id
  name                       = "${var.name}-logs-dead-letter"
  message_retention_duration = "604800s"
  labels                     = var.labels
}

# The pipeline's subscription: seven days of backlog, never expires. Dataflow extends ack
# deadlines itself while it holds messages, so the deadline is Pub/Sub's usual minute.
resource "google_pubsub_subscription" "pipeline" {
  project                    = var.project_id
  name                       = "${var.name}-pipeline"
  topic                      = google_pubsub_topic.logs.id
  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"
  retain_acked_messages      = false
  labels                     = var.labels

  expiration_policy {
    ttl = ""
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter.id
    max_delivery_attempts = 10
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }
}

# Pub/Sub's own service agent moves undeliverable messages to the dead-letter topic.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  project = var.project_id
  topic   = google_pubsub_topic.dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_agent
}

resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  project      = var.project_id
  subscription = google_pubsub_subscription.pipeline.name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}
