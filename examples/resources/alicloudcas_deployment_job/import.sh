# By job id.
terraform import alicloudcas_deployment_job.www 8888
