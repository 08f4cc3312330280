locals {
  resource_filter = join(" OR ", [for t in var.resource_types : "resource.type=\"${t}\""])
  service_filter  = join(" OR ", [for s in var.services : "resource.labels.service_name=\"${s}\""])

  # The pipeline's own Dataflow logs are never exported, so it cannot feed on itself.
  sink_filter = join(" AND ", compact([
    "severity>=${var.min_severity}",
    "(${local.resource_filter})",
    length(var.services) > 0 ? "(${local.service_filter})" : "",
    "NOT (resource.type=\"dataflow_step\" AND resource.labels.job_name=\"${var.name}\")",
  ]))
}

resource "google_logging_project_sink" "logs" {
  project                = var.project_id
  name                   = "${var.name}-sink"
  destination            = "pubsub.googleapis.com/${google_pubsub_topic.logs.id}"
  filter                 = local.sink_filter
  unique_writer_identity = true
  description            = "Warnings and errors for Log Gardener."
}

resource "google_pubsub_topic_iam_member" "sink_publishes" {
  project = var.project_id
  topic   = google_pubsub_topic.logs.name
  role    = "roles/pubsub.publisher"
  member  = google_logging_project_sink.logs.writer_identity
}
