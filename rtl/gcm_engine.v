// gcm_engine.v - the beat-level AES-GCM engine (NIST SP 800-38D with the RFC 4106 nonce), the RTL
// twin of struct gcm_engine in hwmodel/gcm_engine.[ch]: same ports, same registers, same cycles.
//
// One job at a time: key slot, 8-byte explicit IV (J0 = salt || IV || 0x00000001), AAD of 0..16
// bytes, payload length, direction, ICV length 1..16 and (decrypt) the received ICV. Inside: an
// aes_pipe (nr stages) and a ghash accumulator, both fed from the key register.
//
// Key RAM read port: the C engine reads its slot through key_ram_slot_dp() in the start cycle
// (kr_i is "model only"); here kr_slot_o = key_slot_i addresses the key RAM and kr_*_i is its
// combinational read data for that slot (key_ram.v rd_* port). kr_valid_i = 0 stands for the C
// NULL (slot out of range or not valid). The read data is latched into the key register only
// when a start is taken, so a key RAM rewrite during a job cannot mix keys.
//
// Cycle timeline (s = the cycle start_i is taken, n = ceil(len/16), nr = 10/12/14), as
// gcm_engine.h, with every beat offered when in_ready_o is high:
//   s          latch the job and the key RAM read data (key register: ks, nr, H)
//   s+1        J0 enters the AES pipe; GHASH: Y = (0 ^ AAD) * H (skipped when aad_len 0)
//   s+1+i      counter block J0+i (inc32) enters the pipe, i = 1..n
//   s+1+nr     E(J0) leaves the pipe into ej0_q
//   s+1+nr+i   keystream block i leaves the pipe; beat i-1 taken (in_ready_o), out = in ^ ks
//              masked to the beat's bytes, GHASH absorbs the ciphertext (zero-padded)
//   s+2+nr+n   GHASH absorbs len(A)*8 || len(C)*8; tag = E(J0) ^ Y_d, ICV compare
//   s+3+nr+n   done_o pulse, tag_o / icv_ok_o valid, busy_o = 0 (next start may be taken)
// Latency ceil(len/16) + nr + 3. A beat not offered while in_ready_o is high stalls the pipe
// (en_i = 0: every stage holds, no counter block enters). A refused start (kr_valid_i = 0,
// aad_len_i > 16, icv_len_i not 1..16) gives done_o and err_o at s + 1; err_o then holds until
// the next start is taken. Every output is Moore except kr_slot_o (a wire to the key RAM).
//
// The ICV compare ORs the XOR of all 16 bytes (masked past icv_len): no early exit, so the
// comparison time does not depend on where the first differing byte is.
//
// in_nbytes_i is the consumer-side byte enable; as in the C model the engine counts the bytes
// itself from len, so it is not used here (it must agree).
module gcm_engine #(
  parameter integer NrMax     = 14, // round keys rk[0..NrMax] on kr_ks_i (AES_MAX_NR)
  parameter integer SlotWidth = 32  // key_slot_i (uint32_t key_slot_i)
) (
  input  wire                     clk_i,
  input  wire                     rst_ni,
  // job
  input  wire                     start_i,
  input  wire [SlotWidth-1:0]     key_slot_i,
  input  wire [63:0]              iv_i,
  input  wire [127:0]             aad_i,
  input  wire [4:0]               aad_len_i,
  input  wire [31:0]              len_i,
  input  wire                     decrypt_i,
  input  wire [4:0]               icv_len_i,
  input  wire [127:0]             icv_i,
  // key RAM read port (combinational read of slot kr_slot_o)
  output wire [SlotWidth-1:0]     kr_slot_o,
  input  wire                     kr_valid_i,
  input  wire [(NrMax+1)*128-1:0] kr_ks_i,
  input  wire [3:0]               kr_nr_i,
  input  wire [127:0]             kr_h_i,
  input  wire [31:0]              kr_salt_i,
  // data beats in
  input  wire                     in_valid_i,
  output wire                     in_ready_o,
  input  wire [127:0]             in_data_i,
  input  wire [4:0]               in_nbytes_i,
  // data beats out (no back-pressure)
  output wire                     out_valid_o,
  output wire [127:0]             out_data_o,
  output wire [4:0]               out_nbytes_o,
  // completion
  output wire                     done_o,
  output wire [127:0]             tag_o,
  output wire                     icv_ok_o,
  output wire                     err_o,
  output wire                     busy_o
);

  localparam [1:0] StIdle = 2'd0; // GCM_ENGINE_IDLE
  localparam [1:0] StRun  = 2'd1; // GCM_ENGINE_RUN
  localparam [1:0] StLen  = 2'd2; // GCM_ENGINE_LEN

  // Byte mask: bytes 0 .. n-1 of a block (n = 0..16) are bits [127 -: 8n].
  function [127:0] byte_mask;
    input [4:0] n;
    begin
      byte_mask = ~({128{1'b1}} >> {n, 3'b000});
    end
  endfunction

  // ---- registers (struct gcm_engine_regs) --------------------------------------------------
  reg [1:0]   state_q, state_d;
  reg         decrypt_q, decrypt_d;
  reg         aad_pending_q, aad_pending_d;
  reg         ej0_valid_q, ej0_valid_d;
  reg [4:0]   icv_len_q, icv_len_d;
  reg [4:0]   aad_len_q, aad_len_d;
  reg [31:0]  len_q, len_d;
  reg [31:0]  nblk_q, nblk_d;
  reg [31:0]  issued_q, issued_d;     // counter blocks issued; block i has pipe tag i
  reg [31:0]  beats_q, beats_d;       // data beats done
  reg [95:0]  nonce_q, nonce_d;       // salt || IV
  reg [127:0] aad_q, aad_d;
  reg [127:0] icv_q, icv_d;
  reg [127:0] ej0_q, ej0_d;           // E_K(J0)
  reg         out_valid_q, out_valid_d;
  reg [4:0]   out_nbytes_q, out_nbytes_d;
  reg [127:0] out_data_q, out_data_d;
  reg         done_q, done_d;
  reg         icv_ok_q, icv_ok_d;
  reg         err_q, err_d;
  reg [127:0] tag_q, tag_d;
  // Key register: wide, written only when a start is taken (key_we).
  reg [(NrMax+1)*128-1:0] ks_q;
  reg [3:0]               nr_q;
  reg [127:0]             h_q;
  reg                     key_we;

  // ---- sub-blocks --------------------------------------------------------------------------
  reg          pipe_en, pipe_in_valid;
  reg [31:0]   pipe_in_tag;
  reg [127:0]  pipe_in_data;
  wire         pipe_out_valid;
  wire [31:0]  pipe_out_tag;
  wire [127:0] pipe_out_data;

  aes_pipe #(
    .NrMax    (NrMax),
    .TagWidth (32)
  ) u_pipe (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .ks_i        (ks_q),
    .ks_nr_i     (nr_q),
    .en_i        (pipe_en),
    .in_valid_i  (pipe_in_valid),
    .in_tag_i    (pipe_in_tag),
    .in_data_i   (pipe_in_data),
    .out_valid_o (pipe_out_valid),
    .out_tag_o   (pipe_out_tag),
    .out_data_o  (pipe_out_data)
  );

  reg          gh_clear, gh_in_valid;
  reg [127:0]  gh_in_data;
  wire [127:0] gh_y;
  wire [127:0] gh_y_d;

  ghash u_ghash (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .h_i        (h_q),
    .clear_i    (gh_clear),
    .in_valid_i (gh_in_valid),
    .in_data_i  (gh_in_data),
    .y_o        (gh_y),
    .y_d_o      (gh_y_d)
  );

  // The head of the pipe: J0 (tag 0) or keystream block i (tag i).
  wire head_valid   = pipe_out_valid;
  wire head_is_data = head_valid && (pipe_out_tag != 32'd0);

  // ---- next state (gcm_engine_eval) --------------------------------------------------------
  reg         start_ok;
  reg         stall;
  reg [31:0]  left;
  reg [4:0]   nb;
  reg [127:0] ct;
  reg [127:0] t;
  reg [127:0] tmask;

  always @* begin
    // hold (d = q); the pulses drop
    state_d       = state_q;
    decrypt_d     = decrypt_q;
    aad_pending_d = aad_pending_q;
    ej0_valid_d   = ej0_valid_q;
    icv_len_d     = icv_len_q;
    aad_len_d     = aad_len_q;
    len_d         = len_q;
    nblk_d        = nblk_q;
    issued_d      = issued_q;
    beats_d       = beats_q;
    nonce_d       = nonce_q;
    aad_d         = aad_q;
    icv_d         = icv_q;
    ej0_d         = ej0_q;
    out_valid_d   = 1'b0;
    out_nbytes_d  = out_nbytes_q;
    out_data_d    = out_data_q;
    done_d        = 1'b0;
    icv_ok_d      = icv_ok_q;
    err_d         = err_q;
    tag_d         = tag_q;
    key_we        = 1'b0;
    pipe_en       = 1'b1;
    pipe_in_valid = 1'b0;
    pipe_in_tag   = issued_q;
    pipe_in_data  = {nonce_q, issued_q + 32'd1}; // inc32 of J0, issued times
    gh_clear      = 1'b0;
    gh_in_valid   = 1'b0;
    gh_in_data    = aad_q;
    start_ok      = 1'b0;
    stall         = 1'b0;
    left          = len_q - {beats_q[27:0], 4'b0000};
    nb            = (left < 32'd16) ? left[4:0] : 5'd16;
    ct            = 128'd0;
    t             = ej0_q ^ gh_y_d;
    tmask         = byte_mask(icv_len_q);

    case (state_q)
      StIdle: begin
        if (start_i) begin
          tag_d    = 128'd0;
          icv_ok_d = 1'b0;
          start_ok = kr_valid_i && (aad_len_i <= 5'd16) && (icv_len_i != 5'd0) &&
                     (icv_len_i <= 5'd16);
          if (!start_ok) begin
            done_d = 1'b1; // refused: done_o and err_o at s + 1, nothing else happens
            err_d  = 1'b1;
          end else begin
            err_d         = 1'b0;
            key_we        = 1'b1;
            nonce_d       = {kr_salt_i, iv_i};
            aad_d         = aad_i & byte_mask(aad_len_i);
            aad_len_d     = aad_len_i;
            len_d         = len_i;
            nblk_d        = {4'd0, len_i[31:4]} + {31'd0, len_i[3:0] != 4'd0};
            decrypt_d     = decrypt_i;
            icv_len_d     = icv_len_i;
            icv_d         = icv_i;
            issued_d      = 32'd0;
            beats_d       = 32'd0;
            ej0_valid_d   = 1'b0;
            aad_pending_d = 1'b1;
            state_d       = StRun;
          end
        end
      end

      StRun: begin
        // in_ready_o == head_is_data; a missing beat stalls the whole pipe
        stall   = head_is_data && !in_valid_i;
        pipe_en = !stall;
        if (head_valid && !head_is_data) begin
          ej0_d       = pipe_out_data;
          ej0_valid_d = 1'b1;
        end
        if (!stall && (issued_q <= nblk_q)) begin
          pipe_in_valid = 1'b1;
          issued_d      = issued_q + 32'd1;
        end
        if (aad_pending_q) begin
          gh_clear      = 1'b1;
          gh_in_valid   = aad_len_q != 5'd0;
          gh_in_data    = aad_q;
          aad_pending_d = 1'b0;
        end
        if (head_is_data && in_valid_i) begin
          out_data_d   = (in_data_i ^ pipe_out_data) & byte_mask(nb);
          ct           = decrypt_q ? (in_data_i & byte_mask(nb)) : out_data_d;
          // the AAD went in at s+1, the first beat comes at s+2+nr: never the same cycle
          gh_in_valid  = 1'b1;
          gh_in_data   = ct;
          out_valid_d  = 1'b1;
          out_nbytes_d = nb;
          beats_d      = beats_q + 32'd1;
        end
        if ((beats_d == nblk_q) && ej0_valid_d)
          state_d = StLen;
      end

      StLen: begin
        // the length block; tag = E(J0) ^ Y_d, chained after the multiplier in the same cycle
        gh_in_valid = 1'b1;
        gh_in_data  = {56'd0, aad_len_q, 3'b000, 29'd0, len_q, 3'b000}; // len(A)*8 || len(C)*8
        tag_d    = t & tmask;
        icv_ok_d = decrypt_q ? ~|((t ^ icv_q) & tmask) : 1'b1;
        done_d   = 1'b1;
        state_d  = StIdle;
      end

      default: state_d = StIdle;
    endcase
  end

  // ---- clock edge (gcm_engine_commit) ------------------------------------------------------
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q       <= StIdle;
      decrypt_q     <= 1'b0;
      aad_pending_q <= 1'b0;
      ej0_valid_q   <= 1'b0;
      icv_len_q     <= 5'd0;
      aad_len_q     <= 5'd0;
      len_q         <= 32'd0;
      nblk_q        <= 32'd0;
      issued_q      <= 32'd0;
      beats_q       <= 32'd0;
      nonce_q       <= 96'd0;
      aad_q         <= 128'd0;
      icv_q         <= 128'd0;
      ej0_q         <= 128'd0;
      out_valid_q   <= 1'b0;
      out_nbytes_q  <= 5'd0;
      out_data_q    <= 128'd0;
      done_q        <= 1'b0;
      icv_ok_q      <= 1'b0;
      err_q         <= 1'b0;
      tag_q         <= 128'd0;
      ks_q          <= {(NrMax+1)*128{1'b0}};
      nr_q          <= 4'd0;
      h_q           <= 128'd0;
    end else begin
      state_q       <= state_d;
      decrypt_q     <= decrypt_d;
      aad_pending_q <= aad_pending_d;
      ej0_valid_q   <= ej0_valid_d;
      icv_len_q     <= icv_len_d;
      aad_len_q     <= aad_len_d;
      len_q         <= len_d;
      nblk_q        <= nblk_d;
      issued_q      <= issued_d;
      beats_q       <= beats_d;
      nonce_q       <= nonce_d;
      aad_q         <= aad_d;
      icv_q         <= icv_d;
      ej0_q         <= ej0_d;
      out_valid_q   <= out_valid_d;
      out_nbytes_q  <= out_nbytes_d;
      out_data_q    <= out_data_d;
      done_q        <= done_d;
      icv_ok_q      <= icv_ok_d;
      err_q         <= err_d;
      tag_q         <= tag_d;
      if (key_we) begin
        ks_q <= kr_ks_i;
        nr_q <= kr_nr_i;
        h_q  <= kr_h_i;
      end
    end
  end

  // ---- outputs: Moore (registers only), except the key RAM address ---------------------------
  assign kr_slot_o    = key_slot_i;
  assign in_ready_o   = (state_q == StRun) && head_is_data;
  assign out_valid_o  = out_valid_q;
  assign out_data_o   = out_data_q;
  assign out_nbytes_o = out_nbytes_q;
  assign done_o       = done_q;
  assign tag_o        = tag_q;
  assign icv_ok_o     = icv_ok_q;
  assign err_o        = err_q;
  assign busy_o       = state_q != StIdle;

  // Not used, by design (see the header): the engine counts bytes itself; Y is read as y_d.
  wire unused_ok = ^{in_nbytes_i, gh_y};

endmodule
