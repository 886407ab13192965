#!/bin/sh
# Run by the official nginx image before nginx starts (/docker-entrypoint.d/): deploy/nginx/pakn.conf with the
# compose services as upstreams and the site's host name; the image's default site (which logs client
# addresses) is removed.
set -eu
src=/etc/pakn-nginx/pakn.conf
dst=/etc/nginx/conf.d/pakn.conf
rm -f /etc/nginx/conf.d/default.conf
sed -e "s/server 127\.0\.0\.1:8001 /server web1:8000 /" \
    -e "s/server 127\.0\.0\.1:8002 /server web2:8000 /" \
    -e "s/server_name pakn\.example\.gov\.vn;/server_name ${PAKN_SERVER_NAME};/" \
    "$src" > "$dst"
# The image's nginx.conf logs every request in the "main" format (with $remote_addr) at http level: off.
sed -i -e 's|^\(\s*access_log\s\+/var/log/nginx/access.log\s\+main;\)|    access_log off;|' /etc/nginx/nginx.conf
grep -q "server web1:8000" "$dst" && grep -q "server web2:8000" "$dst"
