global using Connectors.Core.Sync;
