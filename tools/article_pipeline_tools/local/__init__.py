"""The embedded default: the whole stack of template.yaml on moto, on one laptop, no AWS account."""
