porter {
  workers = 1
  listeners = [ { address = "127.0.0.1:PORT" } ]
  upstreams { files { servers = [ { address = "127.0.0.1:8051" } ] } }
  routes = [ { path-prefix = "/", upstream = files } ]
  admin.enabled = false
}
