// crypto_top.v - the pipeline top of the RTL: the crypto-offload ESP datapath between the parser
// and the DMA/MAC, with the SA tables behind the firmware's CSR bus.
//
// Twin in the C model: not one block but the path esp_tx / esp_rx -> gcm_pool -> esp_rx_post of
// struct nic in crypto-offload mode, compared per transaction (tb/cosim/dut_rtl.cpp with the
// lock-step pair of tb/dut/dut_if.h): the same packets give the same bytes, SA handle, status,
// flags and ESN high half. Cycles differ by design (one engine, store and forward).
//
// What it does (crypto offload, Linux xfrm semantics; docs/hwmodel.md):
//   TX  the host built the ESP packet (header, IV, plaintext, pad, trailer, ICV space). The top
//       looks the handle up, checks the frame against the SA (length, ciphertext % 4, SPI),
//       encrypts the ciphertext range in place and writes the ICV. No SA: dropped (no_sa);
//       bad frame: dropped (bad_syntax), as esp_tx.c / esp_frame_tx_crypto().
//   RX  CAM lookup on (SPI, 50, daddr, v6). Miss: passed up untouched (status NONE). Hit: the
//       ESN high half from the driver-advanced window bottom (esn_rx_seq_hi, RFC 4303 A2.2),
//       then decrypt and ICV verify; good: plaintext in place, ICV left, CRYPTO_SUCCESS; bad:
//       the received bytes unchanged, *_ESP_AUTH_FAILED; bad syntax: INVALID_PACKET_SYNTAX.
//   Plaintext is released only after the tag verified: the engine writes into a result buffer
//   that is not output unless icv_ok (the C model's hold buffer).
// Not here (C model only, stated in rtl/README.md): the IP parser (the testbench hands the ESP
// part and the outer destination address over the sideband), packet offload (header building,
// numbering, anti-replay, decap), lifetimes, several engines.
//
// Packet stream in: beats of 16 bytes of the ESP packet (byte 0 = first byte of the SPI), the
// sideband sampled with the first beat; in_last_i on the last beat. in_len_i = ESP bytes (SPI
// to the end of the ICV, = IP length - ESP offset), in_wire_len_i = IP packet bytes (per-SA byte
// counters count them, as nic_ctx_sa_count). A packet whose beat count disagrees with in_len_i
// or that is longer than the buffer is consumed and dropped (bad_syntax / too_big).
// Packet stream out: the same framing; the sideband holds for the whole packet. A dropped packet
// is one beat with out_len_o = 0 and out_drop_o = the drops.def index.
//
// Timing: store (one beat per cycle), lookup (sa_cam latency), ESN high half, ICV fetch
// (2 cycles), engine (ceil(ct/16) + nr + 3), then output one beat per cycle. One packet at a
// time: the interface is the transaction, not the throughput (the C model is the throughput
// model).
module crypto_top #(
  parameter integer RxEntries = 64,  // sa_csr / sa_cam RX capacity
  parameter integer TxEntries = 64,  // TX capacity
  parameter integer MaxWindow = 128, // esn bitmap width (packet offload; unused by this datapath)
  parameter integer MaxBeats  = 640  // packet buffer: 640 x 16 = 10240 bytes
) (
  input  wire         clk_i,
  input  wire         rst_ni,
  // ---- CSR bus of the control CPU (fw_hal.h): SAT block ----
  input  wire         csr_req_i,
  input  wire         csr_we_i,
  input  wire [31:0]  csr_addr_i,
  input  wire [31:0]  csr_wdata_i,
  output wire         csr_ack_o,
  output wire [31:0]  csr_rdata_o,
  output wire         csr_err_o,
  // ---- packet in ----
  input  wire         in_valid_i,
  output wire         in_ready_o,
  input  wire [127:0] in_data_i,
  input  wire         in_last_i,
  input  wire         in_tx_i,        // 1 TX (host -> wire), 0 RX (wire -> host)
  input  wire [15:0]  in_len_i,       // ESP bytes
  input  wire [15:0]  in_wire_len_i,  // IP packet bytes
  input  wire [15:0]  in_handle_i,    // TX: descriptor sa_handle
  input  wire [31:0]  in_seq_hi_i,    // TX: descriptor seq_hi (ESN)
  input  wire         in_v6_i,        // RX: outer header is IPv6
  input  wire [127:0] in_daddr_i,     // RX: outer destination (IPv4 in bytes 0..3)
  // ---- packet out ----
  output wire         out_valid_o,
  input  wire         out_ready_i,
  output wire [127:0] out_data_o,
  output wire         out_last_o,
  output wire         out_tx_o,
  output wire [15:0]  out_len_o,      // 0: dropped
  output wire [7:0]   out_drop_o,     // enum nic_drop (drops.def order), 0 = none
  output wire [7:0]   out_status_o,   // TX: NIC_TXS_*, RX: NIC_RXS_* (Linux CRYPTO_*)
  output wire [7:0]   out_flags_o,    // RX: NIC_RXF_*
  output wire         out_sa_valid_o, // out_handle_o names an SA
  output wire [15:0]  out_handle_o,
  output wire [31:0]  out_seq_hi_o
);
  // ---- codes (desc.h, drops.def) ----
  localparam [7:0] DropNone = 8'd0, DropNoSa = 8'd3, DropBadSyntax = 8'd4, DropTooBig = 8'd15;
  localparam [7:0] TxsOk = 8'd0, TxsNoSa = 8'd3, TxsBadPacket = 8'd4;
  localparam [7:0] RxsNone = 8'd0, RxsSuccess = 8'd1, RxsGenericError = 8'd2,
                   RxsTransportAuthFailed = 8'd8, RxsTunnelAuthFailed = 8'd32,
                   RxsInvalidSyntax = 8'd64;
  localparam [7:0] RxfIpsec = 8'h01, RxfCryptoDone = 8'h02;
  localparam integer BeatW = $clog2(MaxBeats + 1);

  localparam [3:0] StIdle = 4'd0, StStore = 4'd1, StLookup = 4'd3,
                   StLookWait = 4'd4, StHi = 4'd5, StHiWait = 4'd6, StIcv0 = 4'd7,
                   StIcv1 = 4'd8, StStart = 4'd9, StRun = 4'd10, StPost = 4'd11, StOut = 4'd12;

  // ---- registers ----
  reg [3:0]        state_q, state_d;
  reg              tx_q, tx_d;
  reg [15:0]       len_q, len_d, wire_len_q, wire_len_d, handle_q, handle_d;
  reg [31:0]       seq_hi_q, seq_hi_d;
  reg              v6_q, v6_d;
  reg [127:0]      daddr_q, daddr_d;
  reg [127:0]      hdr_q, hdr_d;            // beat 0: SPI | SN | IV
  reg [BeatW-1:0]  wr_q, wr_d;              // beats stored
  reg              bad_frame_q, bad_frame_d; // beat count disagrees with len
  reg              too_big_q, too_big_d;
  // SA and outcome
  reg              sa_valid_q, sa_valid_d;
  reg [15:0]       sa_idx_q, sa_idx_d;
  reg              sa_tunnel_q, sa_tunnel_d, sa_esn_q, sa_esn_d;
  reg [4:0]        icv_len_q, icv_len_d;
  reg [127:0]      icv_q, icv_d;
  reg [127:0]      icv_lo_q, icv_lo_d;      // first beat of the ICV fetch
  reg              crypt_q, crypt_d;        // the engine ran and its output is released
  reg [7:0]        drop_q, drop_d, status_q, status_d, flags_q, flags_d;
  reg [127:0]      tag_q, tag_d;
  reg [BeatW-1:0]  rd_q, rd_d;              // engine feed beat
  reg [BeatW-1:0]  res_q, res_d;            // engine result beat
  reg [BeatW-1:0]  out_q, out_d;            // output beat
  reg              start_q, start_d;        // engine start (one cycle)
  // buffers: the packet as received, and the engine's output (held until the ICV verified)
  reg [127:0]      buf_mem [0:MaxBeats-1];
  reg [127:0]      res_mem [0:MaxBeats-1];
  reg              buf_we, res_we;
  reg [BeatW-1:0]  buf_wa, res_wa;
  reg [127:0]      buf_wd, res_wd;

  // ---- SA tables (sa_csr) ----
  wire         rx_rsp_valid, rx_rsp_hit, tx_rsp_valid, tx_rsp_hit;
  wire [15:0]  rx_rsp_idx;
  wire [7:0]   rx_rsp_mode, rx_rsp_offload, rx_rsp_icv_len, rx_rsp_flags;
  wire [7:0]   tx_rsp_mode, tx_rsp_offload, tx_rsp_icv_len, tx_rsp_flags;
  wire [31:0]  tx_rsp_spi;
  wire         hi_rsp_valid;
  wire [31:0]  hi_rsp_seqh;
  wire [31:0]  kr_slot;
  wire         kr_valid;
  wire [15*128-1:0] kr_ks;
  wire [3:0]   kr_nr;
  wire [127:0] kr_h;
  wire [31:0]  kr_salt;
  reg          rx_req, tx_req, hi_req, cnt_req;

  sa_csr #(.RxEntries(RxEntries), .TxEntries(TxEntries), .MaxWindow(MaxWindow)) u_sa_csr (
    .clk_i, .rst_ni,
    .csr_req_i, .csr_we_i, .csr_addr_i, .csr_wdata_i, .csr_ack_o, .csr_rdata_o, .csr_err_o,
    .rx_req_valid_i(rx_req), .rx_req_spi_i(hdr_q[127:96]), .rx_req_v6_i(v6_q),
    .rx_req_daddr_i(daddr_q),
    .rx_rsp_valid_o(rx_rsp_valid), .rx_rsp_hit_o(rx_rsp_hit), .rx_rsp_idx_o(rx_rsp_idx),
    .rx_rsp_mode_o(rx_rsp_mode), .rx_rsp_offload_o(rx_rsp_offload),
    .rx_rsp_icv_len_o(rx_rsp_icv_len), .rx_rsp_flags_o(rx_rsp_flags),
    .tx_req_valid_i(tx_req), .tx_req_idx_i(handle_q),
    .tx_rsp_valid_o(tx_rsp_valid), .tx_rsp_hit_o(tx_rsp_hit), .tx_rsp_spi_o(tx_rsp_spi),
    .tx_rsp_mode_o(tx_rsp_mode), .tx_rsp_offload_o(tx_rsp_offload),
    .tx_rsp_icv_len_o(tx_rsp_icv_len), .tx_rsp_flags_o(tx_rsp_flags),
    .hi_req_valid_i(hi_req), .hi_req_idx_i(sa_idx_q), .hi_req_seql_i(hdr_q[95:64]),
    .hi_rsp_valid_o(hi_rsp_valid), .hi_rsp_seqh_o(hi_rsp_seqh),
    .kr_tx_i(tx_q), .kr_slot_i(kr_slot), .kr_valid_o(kr_valid), .kr_ks_o(kr_ks),
    .kr_nr_o(kr_nr), .kr_h_o(kr_h), .kr_salt_o(kr_salt),
    .cnt_valid_i(cnt_req), .cnt_tx_i(tx_q), .cnt_idx_i(sa_idx_q), .cnt_bytes_i(wire_len_q)
  );

  // ---- the engine ----
  wire         eng_in_ready, eng_out_valid, eng_done, eng_icv_ok, eng_err, eng_busy;
  wire [127:0] eng_out_data, eng_tag;
  wire [4:0]   eng_out_nbytes;
  wire [15:0]  ct_len = len_q - 16'd16 - {11'd0, icv_len_q};
  wire [BeatW-1:0] ct_beats = BeatW'((ct_len + 16'd15) >> 4);
  wire         feed = state_q == StRun && rd_q <= ct_beats && rd_q != 0;
  wire [4:0]   feed_nbytes = (rd_q == ct_beats && ct_len[3:0] != 4'd0) ? {1'b0, ct_len[3:0]}
                                                                       : 5'd16;
  wire [127:0] aad = sa_esn_q ? {hdr_q[127:96], seq_hi_q, hdr_q[95:64], 32'd0}
                              : {hdr_q[127:64], 64'd0};

  gcm_engine #(.NrMax(14), .SlotWidth(32)) u_gcm (
    .clk_i, .rst_ni,
    .start_i(start_q), .key_slot_i({16'd0, sa_idx_q}), .iv_i(hdr_q[63:0]), .aad_i(aad),
    .aad_len_i(sa_esn_q ? 5'd12 : 5'd8), .len_i({16'd0, ct_len}), .decrypt_i(!tx_q),
    .icv_len_i(icv_len_q), .icv_i(icv_q),
    .kr_slot_o(kr_slot), .kr_valid_i(kr_valid), .kr_ks_i(kr_ks), .kr_nr_i(kr_nr),
    .kr_h_i(kr_h), .kr_salt_i(kr_salt),
    .in_valid_i(feed), .in_ready_o(eng_in_ready), .in_data_i(buf_mem[rd_q]),
    .in_nbytes_i(feed_nbytes),
    .out_valid_o(eng_out_valid), .out_data_o(eng_out_data), .out_nbytes_o(eng_out_nbytes),
    .done_o(eng_done), .tag_o(eng_tag), .icv_ok_o(eng_icv_ok), .err_o(eng_err),
    .busy_o(eng_busy)
  );

  // ---- frame checks of a crypto-offload ESP packet (esp_frame_tx_crypto / _rx_job) ----
  function automatic bad_esp(input [15:0] len, input [7:0] icv);
    bad_esp = len < 16'd18 + {8'd0, icv} || ((len - 16'd16 - {8'd0, icv}) & 16'd3) != 16'd0;
  endfunction

  // beats of a packet of len bytes (at least one: an empty packet still has its beat)
  wire [15:0] in_beats = in_len_i == 16'd0 ? 16'd1 : (in_len_i + 16'd15) >> 4;
  wire [15:0] len_beats = len_q == 16'd0 ? 16'd1 : (len_q + 16'd15) >> 4;
  wire [15:0] icv_off = len_q - {11'd0, icv_len_q};         // first ICV byte
  wire [BeatW-1:0] icv_beat = BeatW'(icv_off >> 4);
  wire [15:0] out16 = 16'(out_q);

  // ---- next state ----
  always @* begin
    state_d = state_q; tx_d = tx_q; len_d = len_q; wire_len_d = wire_len_q;
    handle_d = handle_q; seq_hi_d = seq_hi_q; v6_d = v6_q; daddr_d = daddr_q; hdr_d = hdr_q;
    wr_d = wr_q; bad_frame_d = bad_frame_q; too_big_d = too_big_q;
    sa_valid_d = sa_valid_q; sa_idx_d = sa_idx_q; sa_tunnel_d = sa_tunnel_q; sa_esn_d = sa_esn_q;
    icv_len_d = icv_len_q; icv_d = icv_q; icv_lo_d = icv_lo_q; crypt_d = crypt_q;
    drop_d = drop_q; status_d = status_q; flags_d = flags_q; tag_d = tag_q;
    rd_d = rd_q; res_d = res_q; out_d = out_q; start_d = 1'b0;
    buf_we = 1'b0; buf_wa = wr_q; buf_wd = in_data_i;
    res_we = 1'b0; res_wa = res_q; res_wd = eng_out_data;
    rx_req = 1'b0; tx_req = 1'b0; hi_req = 1'b0; cnt_req = 1'b0;
    case (state_q)
      StIdle: if (in_valid_i) begin
        tx_d = in_tx_i; len_d = in_len_i; wire_len_d = in_wire_len_i; handle_d = in_handle_i;
        seq_hi_d = in_tx_i ? in_seq_hi_i : 32'd0; v6_d = in_v6_i; daddr_d = in_daddr_i;
        hdr_d = in_data_i; sa_valid_d = 1'b0; sa_idx_d = 16'd0; sa_tunnel_d = 1'b0;
        sa_esn_d = 1'b0; icv_len_d = 5'd0; icv_d = 128'd0; crypt_d = 1'b0; drop_d = DropNone;
        status_d = 8'd0; flags_d = 8'd0; tag_d = 128'd0;
        too_big_d = in_beats > 16'(MaxBeats);
        bad_frame_d = in_last_i != (in_beats == 16'd1);
        buf_we = 1'b1; buf_wa = '0;
        wr_d = BeatW'(1);
        state_d = in_last_i ? StLookup : StStore;
      end
      StStore: if (in_valid_i) begin
        buf_we = wr_q < BeatW'(MaxBeats);
        if (in_last_i != (16'(wr_q) + 16'd1 == len_beats) || 16'(wr_q) >= len_beats)
          bad_frame_d = 1'b1;
        wr_d = wr_q < BeatW'(MaxBeats) ? wr_q + 1'b1 : wr_q;
        if (in_last_i) state_d = StLookup;
      end
      StLookup: begin
        rx_req = !tx_q;
        tx_req = tx_q;
        state_d = StLookWait;
      end
      StLookWait: if (tx_q && tx_rsp_valid) begin
        if (!tx_rsp_hit) begin
          drop_d = DropNoSa; status_d = TxsNoSa; state_d = StOut; out_d = '0;
        end else begin
          sa_valid_d = 1'b1; sa_idx_d = handle_q; sa_tunnel_d = tx_rsp_mode[0];
          sa_esn_d = tx_rsp_flags[0]; icv_len_d = tx_rsp_icv_len[4:0];
          if (too_big_q) begin
            drop_d = DropTooBig; status_d = TxsBadPacket; state_d = StOut; out_d = '0;
          end else if (bad_frame_q || bad_esp(len_q, tx_rsp_icv_len) ||
                       hdr_q[127:96] != tx_rsp_spi) begin
            drop_d = DropBadSyntax; status_d = TxsBadPacket; state_d = StOut; out_d = '0;
          end else begin
            status_d = TxsOk; state_d = StIcv0;
          end
        end
      end else if (!tx_q && rx_rsp_valid) begin
        if (too_big_q || bad_frame_q) begin
          drop_d = too_big_q ? DropTooBig : DropBadSyntax; state_d = StOut; out_d = '0;
        end else if (!rx_rsp_hit) begin
          status_d = RxsNone; state_d = StOut; out_d = '0;   // crypto offload: to the stack
        end else begin
          sa_valid_d = 1'b1; sa_idx_d = rx_rsp_idx; sa_tunnel_d = rx_rsp_mode[0];
          sa_esn_d = rx_rsp_flags[0]; icv_len_d = rx_rsp_icv_len[4:0]; flags_d = RxfIpsec;
          state_d = rx_rsp_flags[0] ? StHi : StIcv0;
          if (bad_esp(len_q, rx_rsp_icv_len) && !rx_rsp_flags[0]) begin
            status_d = RxsInvalidSyntax; state_d = StOut; out_d = '0;
          end
        end
      end
      StHi: begin
        hi_req = 1'b1;
        state_d = StHiWait;
      end
      StHiWait: if (hi_rsp_valid) begin
        seq_hi_d = hi_rsp_seqh;
        state_d = StIcv0;
        if (bad_esp(len_q, {3'd0, icv_len_q})) begin
          status_d = RxsInvalidSyntax; state_d = StOut; out_d = '0;
        end
      end
      StIcv0: begin
        icv_lo_d = buf_mem[icv_beat];
        state_d = StIcv1;
      end
      StIcv1: begin
        // the ICV: bytes icv_off .. len-1, in beats icv_beat and icv_beat + 1
        icv_d = 128'(({icv_lo_q, buf_mem[icv_beat + 1'b1]} << {icv_off[3:0], 3'b000}) >> 128);
        icv_d = icv_d & ~(128'h0 | ({128{1'b1}} >> {icv_len_q, 3'b000}));
        state_d = StStart;
      end
      StStart: if (!eng_busy) begin
        start_d = 1'b1;
        rd_d = BeatW'(1);
        res_d = BeatW'(1);
        state_d = StRun;
      end
      StRun: begin
        if (feed && eng_in_ready) rd_d = rd_q + 1'b1;
        if (eng_out_valid) begin
          res_we = 1'b1;
          res_d = res_q + 1'b1;
        end
        if (eng_done) begin
          tag_d = eng_tag;
          state_d = StPost;
          if (eng_err) begin
            // the key went away under the packet (FREE in flight): the C model's job->err
            drop_d = tx_q ? DropNoSa : DropNone;
            status_d = tx_q ? TxsNoSa : RxsGenericError;
          end else if (tx_q) begin
            crypt_d = 1'b1;
          end else begin
            flags_d = RxfIpsec | RxfCryptoDone;
            crypt_d = eng_icv_ok;
            status_d = eng_icv_ok ? RxsSuccess
                     : sa_tunnel_q ? RxsTunnelAuthFailed : RxsTransportAuthFailed;
          end
        end
      end
      StPost: begin
        cnt_req = crypt_q;    // per-SA packets/bytes of what went through (nic_ctx_sa_count)
        state_d = StOut;
        out_d = '0;
      end
      StOut: if (out_ready_i) begin
        out_d = out_q + 1'b1;
        if (out_last_o) state_d = StIdle;
      end
      default: state_d = StIdle;
    endcase
  end

  // ---- output beat: the received bytes, the engine's result where released, the ICV (TX) ----
  reg [127:0] out_data;
  integer j;
  always @* begin
    out_data = buf_mem[out_q];
    for (j = 0; j < 16; j = j + 1) begin : bytes
      reg [15:0] pos;
      pos = (out16 << 4) + 16'(j);
      if (crypt_q && pos >= 16'd16 && pos < 16'd16 + ct_len)
        out_data[127 - 8*j -: 8] = res_mem[out_q][127 - 8*j -: 8];
      if (crypt_q && tx_q && pos >= icv_off && pos < len_q)
        out_data[127 - 8*j -: 8] = 8'(tag_q >> (8 * (15 - (pos - icv_off))));
    end
  end

  wire dropped = drop_q != DropNone;
  assign in_ready_o     = state_q == StIdle || state_q == StStore;
  assign out_valid_o    = state_q == StOut;
  assign out_data_o     = dropped ? 128'd0 : out_data;
  assign out_last_o     = dropped || 16'(out_q) + 16'd1 >= len_beats;
  assign out_tx_o       = tx_q;
  assign out_len_o      = dropped ? 16'd0 : len_q;
  assign out_drop_o     = drop_q;
  assign out_status_o   = status_q;
  assign out_flags_o    = flags_q;
  assign out_sa_valid_o = sa_valid_q;
  assign out_handle_o   = sa_idx_q;
  assign out_seq_hi_o   = seq_hi_q;

  // ---- memories (no reset: RAM; only written beats are read) ----
  always @(posedge clk_i) begin
    if (buf_we) buf_mem[buf_wa] <= buf_wd;
    if (res_we) res_mem[res_wa] <= res_wd;
  end

  // ---- registers ----
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle; tx_q <= 1'b0; len_q <= 16'd0; wire_len_q <= 16'd0; handle_q <= 16'd0;
      seq_hi_q <= 32'd0; v6_q <= 1'b0; daddr_q <= 128'd0; hdr_q <= 128'd0; wr_q <= '0;
      bad_frame_q <= 1'b0; too_big_q <= 1'b0; sa_valid_q <= 1'b0; sa_idx_q <= 16'd0;
      sa_tunnel_q <= 1'b0; sa_esn_q <= 1'b0; icv_len_q <= 5'd0; icv_q <= 128'd0;
      icv_lo_q <= 128'd0; crypt_q <= 1'b0; drop_q <= 8'd0; status_q <= 8'd0; flags_q <= 8'd0;
      tag_q <= 128'd0; rd_q <= '0; res_q <= '0; out_q <= '0; start_q <= 1'b0;
    end else begin
      state_q <= state_d; tx_q <= tx_d; len_q <= len_d; wire_len_q <= wire_len_d;
      handle_q <= handle_d; seq_hi_q <= seq_hi_d; v6_q <= v6_d; daddr_q <= daddr_d;
      hdr_q <= hdr_d; wr_q <= wr_d; bad_frame_q <= bad_frame_d; too_big_q <= too_big_d;
      sa_valid_q <= sa_valid_d; sa_idx_q <= sa_idx_d; sa_tunnel_q <= sa_tunnel_d;
      sa_esn_q <= sa_esn_d; icv_len_q <= icv_len_d; icv_q <= icv_d; icv_lo_q <= icv_lo_d;
      crypt_q <= crypt_d; drop_q <= drop_d; status_q <= status_d; flags_q <= flags_d;
      tag_q <= tag_d; rd_q <= rd_d; res_q <= res_d; out_q <= out_d; start_q <= start_d;
    end
  end

  // unused: engine out byte count (the buffer takes whole beats), offload type (sa_csr refuses
  // packet offload)
  wire unused = ^{eng_out_nbytes, rx_rsp_offload, tx_rsp_offload, rx_rsp_mode[7:1],
                  tx_rsp_mode[7:1], rx_rsp_flags[7:1], tx_rsp_flags[7:1], rx_rsp_icv_len[7:5],
                  tx_rsp_icv_len[7:5]};
endmodule
