using Decisioning.Grains.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.AddDecisioningSilo(builder.Configuration));
builder.Build().Run();
