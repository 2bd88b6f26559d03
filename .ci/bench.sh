# Install this checkout into the bench for the run; put the bench back as it was afterwards.

quietly() {  # run a command; show its output only when it fails
	local out
	if ! out=$("$@" 2>&1); then
		printf '%s\n' "$out" | tail -40
		return 1
	fi
}

bench_frappe() {  # what `bench --site S ...` runs, without needing the bench CLI
	(cd "$BENCH/sites" && "$BENCH/env/bin/python" -m frappe.utils.bench_helper frappe "$@")
}

install_checkout_into_bench() {
	local bench="$1" checkout="$2" site="$3"
	local app="$bench/apps/distribution_sales"
	if [ ! -e "$app" ]; then
		# a bench that never had the app keeps a copy of its own (never a link to this temporary clone)
		log "copying the app into $app"
		git -C "$checkout" archive --format=tar --prefix=distribution_sales/ HEAD | tar -x -C "$bench/apps"
	fi
	grep -qx distribution_sales "$bench/sites/apps.txt" || printf '\ndistribution_sales\n' >>"$bench/sites/apps.txt"
	sed -i '/^$/d' "$bench/sites/apps.txt"
	log "installing $checkout into the bench's Python for this run"
	quietly "$bench/env/bin/pip" install -q --disable-pip-version-check --no-build-isolation -e "$checkout[test]"
	if [ -z "$site" ]; then
		log "the test command makes a new site for the run (new-site, ERPNext, this app, the demo) and drops it"
		return
	fi
	# a site named in $DS_SITE: the suite runs there, with the app installed and migrated
	bench_frappe --site "$site" clear-cache  # the cached module map must see apps.txt as it is now
	if ! bench_frappe --site "$site" list-apps 2>/dev/null | grep -q distribution_sales; then
		log "install-app distribution_sales on $site"
		bench_frappe --site "$site" install-app distribution_sales
	fi
	log "migrate $site"
	quietly bench_frappe --site "$site" migrate --skip-search-index
}

restore_bench() {
	local bench="$1"
	log "pointing the bench's Python back at $bench/apps/distribution_sales"
	quietly "$bench/env/bin/pip" install -q --disable-pip-version-check --no-build-isolation --no-deps \
		-e "$bench/apps/distribution_sales" || log "could not restore the editable install"
}
