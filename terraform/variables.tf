variable "project_id" {
  type        = string
  description = "Project that the logs come from and the gardener runs in."
}

variable "region" {
  type        = string
  description = "Region of the Dataflow job."
}

variable "name" {
  type        = string
  description = "Prefix of every resource's name, and the Dataflow job's name."
  default     = "log-gardener"
}

variable "labels" {
  type        = map(string)
  description = "Labels for every resource that takes them."
  default     = {}
}

variable "min_severity" {
  type        = string
  description = "Lowest severity the log sink exports (and the pipeline triages)."
  default     = "WARNING"
}

variable "resource_types" {
  type        = list(string)
  description = "Monitored resource types the sink exports."
  default     = ["cloud_run_revision", "k8s_container", "cloud_function", "gae_app"]
}

variable "services" {
  type        = list(string)
  description = "Only these services (resource.labels.service_name); empty means every service."
  default     = []
}

variable "dataset_id" {
  type        = string
  description = "BigQuery dataset for the cluster tables."
  default     = "log_gardener"
}

variable "dataset_location" {
  type        = string
  description = "Location of the BigQuery dataset."
  default     = "US"
}

variable "deletion_protection" {
  type        = bool
  description = "Protect the BigQuery tables from terraform destroy."
  default     = true
}

variable "template_gcs_path" {
  type        = string
  description = "The Flex Template spec that scripts/deploy builds: gs://BUCKET/templates/log-gardener.json."
}

variable "temp_bucket" {
  type        = string
  description = "Bucket (name only) for Dataflow's temporary and staging files; the workers may write to it."
}

variable "max_workers" {
  type        = number
  description = "Most workers Dataflow may scale the job to."
  default     = 3
}

variable "machine_type" {
  type        = string
  description = "Worker machine type."
  default     = "n2-standard-2"
}

variable "window_minutes" {
  type        = number
  description = "Event-time window length (--windowMinutes)."
  default     = 5
}

variable "allowed_lateness_minutes" {
  type        = number
  description = "How late an entry may still count (--allowedLatenessMinutes)."
  default     = 60
}

variable "early_firing_seconds" {
  type        = number
  description = "An early pane this long after a pane's first entry; 0 turns early panes off (--earlyFiringSeconds)."
  default     = 60
}

variable "github_repo" {
  type        = string
  description = "OWNER/NAME that gets one issue per fingerprint; empty turns GitHub sync off."
  default     = ""
}

variable "github_api_url" {
  type        = string
  description = "GitHub's REST API (https://HOST/api/v3 for GitHub Enterprise Server)."
  default     = "https://api.github.com"
}

variable "github_min_priority" {
  type        = string
  description = "Lowest priority that gets an issue (--githubMinPriority)."
  default     = "P3"
}

variable "github_comment_cooldown_hours" {
  type        = number
  description = "At most one evidence comment per fingerprint this often (--githubCommentCooldownHours)."
  default     = 6
}

variable "github_dry_run" {
  type        = bool
  description = "Decide and record GitHub actions without calling GitHub."
  default     = false
}
