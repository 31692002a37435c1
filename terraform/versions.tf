terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # State holds the Redis auth token and the identifiers of every secret, so keep it in an
  # encrypted, versioned bucket with locking. Fill in and uncomment, then `terraform init`.
  # use_lockfile needs Terraform 1.10 or later; before that, lock with dynamodb_table instead.
  #
  # backend "s3" {
  #   bucket       = "my-terraform-state"
  #   key          = "preconf/terraform.tfstate"
  #   region       = "eu-west-1"
  #   encrypt      = true
  #   use_lockfile = true
  # }
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge({ Project = var.name, ManagedBy = "terraform" }, var.tags)
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}
