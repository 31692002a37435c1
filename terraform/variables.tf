# --- general ---

variable "name" {
  description = "Prefix of every resource name, for example \"preconf-prod\". Lowercase letters, digits and hyphens."
  type        = string
  default     = "preconf"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,18}[a-z0-9]$", var.name))
    error_message = "name must be 3 to 20 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (it prefixes names limited to 32 characters)."
  }
}

variable "aws_region" {
  description = "AWS region to deploy into, for example \"eu-west-1\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like \"eu-west-1\"."
  }
}

variable "tags" {
  description = "Tags added to every resource, beside Project and ManagedBy."
  type        = map(string)
  default     = {}
}

# --- network ---

variable "vpc_cidr" {
  description = "CIDR block of the VPC. Public and private subnets are carved from it (16 blocks, one public and one private per AZ)."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && try(tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 24, false)
    error_message = "vpc_cidr must be a valid IPv4 CIDR block with a prefix length from /16 to /24."
  }
}

variable "az_count" {
  description = "Number of availability zones to spread subnets, Redis, Aurora and the feed across."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 3 && floor(var.az_count) == var.az_count
    error_message = "az_count must be 2 or 3 (RDS Proxy and the ALB need at least two AZs)."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all private subnets (cheaper). false puts one in every AZ, so egress survives the loss of an AZ."
  type        = bool
  default     = true
}

variable "vpc_interface_endpoints" {
  description = "AWS services to reach through interface VPC endpoints instead of NAT, for example [\"secretsmanager\", \"logs\", \"ecr.api\", \"ecr.dkr\"]."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.vpc_interface_endpoints : can(regex("^[a-z0-9-]+(\\.[a-z0-9-]+)*$", s))])
    error_message = "vpc_interface_endpoints must hold service short names such as \"secretsmanager\" or \"ecr.dkr\"."
  }
}

# --- feed ---

variable "feed_ingress_cidrs" {
  description = "IPv4 CIDR blocks allowed to connect to the feed."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.feed_ingress_cidrs) > 0 && alltrue([for c in var.feed_ingress_cidrs : can(cidrhost(c, 0))])
    error_message = "feed_ingress_cidrs must hold at least one valid IPv4 CIDR block."
  }
}
