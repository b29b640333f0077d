porter {
  workers = 1
  transport = ${?PORTER_TRANSPORT}
  listeners = [
    { address = "127.0.0.1:PORTER_PORT", keepalive-timeout = 600s, keepalive-requests = 1000000 }
  ]
  upstreams {
    app {
      servers = [ { address = "127.0.0.1:ORIGIN_PORT" } ]
      keepalive = 512
    }
  }
  routes = [ { path-prefix = "/", upstream = app } ]
  admin.address = "127.0.0.1:ADMIN_PORT"
}
