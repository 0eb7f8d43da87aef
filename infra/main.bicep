// The Connectors function app on Azure: a Flex Consumption (Linux) function app running the
// `connectors` binary as a custom handler, its storage account (host state, deployment packages,
// the work queue, the state tables), a Key Vault for secrets, and Application Insights.
// Deploy guide: infra/README.md.

targetScope = 'resourceGroup'

@description('Short name the resource names are made from: 3 to 11 lowercase letters and digits.')
@minLength(3)
@maxLength(11)
param appName string

@description('Azure region; it must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Flex Consumption runtime stack for a custom handler. Check with: az functionapp list-flexconsumption-runtimes --location <region> --runtime custom')
param runtimeName string = 'custom'

@description('Version of the runtime stack, as listed by the command above.')
param runtimeVersion string = '1.0'

@description('Most instances the app scales out to (Flex Consumption allows 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('The queue between the webhook and the sync worker; its poison queue is <name>-poison.')
param syncQueueName string = 'crm-sync-requests'

@description('Prefix of the state tables (<prefix>State, <prefix>Runs) and of the lease table (<prefix>Leases).')
param tablePrefix string = 'connectors'

@description('Connector secrets (OAuth client secrets, webhook signing keys, API tokens) as { "ENV_NAME": "value" }, named as the connector config refers to them (${secret:ZOHO_CLIENT_SECRET}). Each becomes a Key Vault secret (underscores turned into hyphens, which Key Vault requires) and an app setting of the same ENV_NAME that references it.')
@secure()
param connectorSecrets object = {}

@description('Object id of a user or group that may manage the Key Vault secrets (optional).')
param secretsAdminObjectId string = ''

var suffix = uniqueString(resourceGroup().id, appName)
var storageName = take('st${appName}${suffix}', 24)
var vaultName = take('kv-${appName}-${suffix}', 24)
var deploymentContainer = 'app-package'
var storageConnectionSecret = 'storage-connection-string'

// Built-in role definitions.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${appName}-${suffix}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${appName}-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // The handler reaches queues and tables with the connection string kept in Key Vault; the
    // Functions host itself uses the app's managed identity.
    allowSharedKeyAccess: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource packages 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: deploymentContainer
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource syncQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queues
  name: syncQueueName
}

resource poisonQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queues
  name: '${syncQueueName}-poison'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource stateTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for table in ['State', 'Runs', 'Leases']: {
  parent: tables
  name: '${tablePrefix}${table}'
}]

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource storageConnection 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: storageConnectionSecret
  properties: {
    value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
  }
}

resource secrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for secret in items(connectorSecrets): {
  parent: vault
  name: replace(secret.key, '_', '-')
  properties: { value: secret.value }
}]

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${appName}-${suffix}'
  location: location
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

// App settings that point at Key Vault: the platform resolves them with the app's identity and hands
// them to the process as environment variables, where the connector config's ${secret:NAME} finds
// them. No secret is stored in the site's configuration.
var keyVaultSettings = [for secret in items(connectorSecrets): {
  name: secret.key
  value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${replace(secret.key, '_', '-')})'
}]

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-${appName}-${suffix}'
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: 'SystemAssigned'
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: runtimeName
        version: runtimeVersion
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // Flex Consumption takes the runtime from functionAppConfig: FUNCTIONS_WORKER_RUNTIME and the
      // deployment settings of the older plans must not be set here.
      appSettings: concat([
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'ConnectorsStorage', value: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${storageConnectionSecret})' }
        { name: 'ConnectorsQueueName', value: syncQueueName }
        { name: 'ConnectorsTablePrefix', value: tablePrefix }
        // The runtime compiles hot code fully only once no new code was compiled for 100 ms, which a busy new
        // instance keeps putting off: without the delay the webhook server reached its full speed after 10,000
        // deliveries rather than 20,000-25,000 (bench/Connectors.Benchmarks.Webhooks). Read from the environment only.
        { name: 'DOTNET_TC_CallCountingDelayMs', value: '0' }
      ], keyVaultSettings)
    }
  }
  dependsOn: [
    storageConnection
    secrets
    packages
  ]
}

resource appBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, app.id, roles.storageBlobDataOwner)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource appQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, app.id, roles.storageQueueDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource appTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, app.id, roles.storageTableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource appSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, app.id, roles.keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource adminSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(secretsAdminObjectId)) {
  scope: vault
  name: guid(vault.id, secretsAdminObjectId, roles.keyVaultSecretsOfficer)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
    principalId: secretsAdminObjectId
  }
}

@description('The function app\'s name, for az functionapp commands.')
output functionAppName string = app.name

@description('The app\'s public host name; webhooks go to https://<host>/api/...')
output functionAppHostName string = app.properties.defaultHostName

@description('The storage account holding the queue and the state tables.')
output storageAccountName string = storage.name

@description('The Key Vault holding the secrets.')
output keyVaultName string = vault.name
