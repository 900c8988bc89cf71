using Azure.Core.Serialization;
using FunctionsBench.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// Durable payloads use the project's JSON shape, so the results document reads the same on both hosts.
builder.Services.Configure<WorkerOptions>(options => options.Serializer = new JsonObjectSerializer(BenchJson.Options));
builder.Services.AddBench(builder.Configuration);

builder.Build().Run();
