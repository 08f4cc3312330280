# The gardener in one project: terraform init && terraform apply -var project_id=... (or use
# scripts/deploy, which builds the template first and passes these).
variable "project_id" {
  type        = string
  description = "Project to deploy into."
}

variable "region" {
  type        = string
  description = "Region of the Dataflow job."
  default     = "us-central1"
}

variable "temp_bucket" {
  type        = string
  description = "Bucket for Dataflow's temporary files and the template."
}

variable "template_gcs_path" {
  type        = string
  description = "Flex Template spec built by scripts/deploy."
}

variable "github_repo" {
  type        = string
  description = "OWNER/NAME for GitHub sync; empty turns it off."
  default     = ""
}

provider "google" {
  project = var.project_id
  region  = var.region
}

provider "google-beta" {
  project = var.project_id
  region  = var.region
}

module "gardener" {
  source            = "../.."
  project_id        = var.project_id
  region            = var.region
  temp_bucket       = var.temp_bucket
  template_gcs_path = var.template_gcs_path
  github_repo       = var.github_repo
}

output "dataset" {
  description = "The BigQuery dataset."
  value       = module.gardener.dataset
}

output "subscription" {
  description = "The pipeline's subscription."
  value       = module.gardener.subscription
}
