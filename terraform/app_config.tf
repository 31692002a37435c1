# How the deployment talks to the application: the ports and paths it serves on.

locals {
  feed_port     = 8080
  redis_port    = 6379
  postgres_port = 5432

  feed_path        = "/feed"
  feed_health_path = "/q/health/ready"
}
