# scripts/sim-host.sh: a simulated host in network namespaces, for scripts/demo
# and the benchmarks (sourced; POSIX sh).  Nothing on this machine's own
# network is touched; addresses come from 198.51.100.0/24 (RFC 5737).
#
# sim_host_add HOST PEER: netns HOST with eth0 198.51.100.10/24 and a default
#   route via PEER, netns PEER with eth0 198.51.100.1/24, joined by a veth
#   pair; lo up in both; the host's ephemeral range set to 32768-60999 so port
#   pools do not depend on this machine.  Tools run there with
#   `nsenter --net=/run/netns/HOST` (not `ip netns exec`: its private mount
#   namespace would drop the namespace handles pm-netns bind-mounts).
# sim_host_del HOST PEER: SIGKILL what runs in either, delete both.
# sim_netns_pids FILE: PIDs of the processes in the network namespace behind
#   FILE (a /run/netns entry or a pm-netns handle).
# sim_state_release DIR: SIGKILL what runs in the containers of state dir DIR
#   and unmount their namespace handles (what pm-netns destroy would have done),
#   so DIR can be removed.
# sim_tmpdir NAME: a new private directory NAME.XXXXXX for a run's state dirs,
#   on /dev/shm when it is a tmpfs (state writes then cost no disk I/O).

SIM_HOST_IP=198.51.100.10
SIM_PEER_IP=198.51.100.1
SIM_PREFIX=24

sim_host_add() {
	ip netns add "$1" && ip netns add "$2" &&
		ip -n "$1" link add eth0 type veth peer name eth0 netns "$2" &&
		ip -n "$1" link set lo up && ip -n "$2" link set lo up &&
		ip -n "$1" addr add "$SIM_HOST_IP/$SIM_PREFIX" dev eth0 &&
		ip -n "$2" addr add "$SIM_PEER_IP/$SIM_PREFIX" dev eth0 &&
		ip -n "$1" link set eth0 up && ip -n "$2" link set eth0 up &&
		ip -n "$1" route add default via "$SIM_PEER_IP" &&
		nsenter --net="/run/netns/$1" sh -c 'echo "32768 60999" >/proc/sys/net/ipv4/ip_local_port_range'
}

sim_netns_pids() {
	_sim_ino="$(stat -L -c %i "$1" 2>/dev/null)" || return 0
	for _sim_p in /proc/[0-9]*; do
		[ "$(stat -L -c %i "$_sim_p/ns/net" 2>/dev/null)" = "$_sim_ino" ] && echo "${_sim_p#/proc/}"
	done
	return 0
}

sim_host_del() {
	for _sim_ns in "$1" "$2"; do
		[ -e "/run/netns/$_sim_ns" ] || continue
		for _sim_pid in $(sim_netns_pids "/run/netns/$_sim_ns"); do kill -9 "$_sim_pid" 2>/dev/null; done
		ip netns del "$_sim_ns" 2>/dev/null
	done
	return 0
}

sim_state_release() {
	[ -d "$1/netns" ] || return 0
	for _sim_h in "$1"/netns/*; do
		[ -e "$_sim_h" ] || continue
		for _sim_pid in $(sim_netns_pids "$_sim_h"); do kill -9 "$_sim_pid" 2>/dev/null; done
		umount -l "$_sim_h" 2>/dev/null
	done
	umount -l "$1/netns" 2>/dev/null
	return 0
}

sim_tmpdir() {
	_sim_base=/tmp
	[ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && _sim_base=/dev/shm
	mktemp -d "$_sim_base/$1.XXXXXX"
}
